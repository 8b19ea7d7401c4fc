export * from './rpc.ts';
export * from './node.ts';
export * from './settings.ts';
export * from './api-key.ts';
export * from './retention.ts';
export * from './report.ts';
export * from './echo.ts';
export * from './provider-item.ts';
