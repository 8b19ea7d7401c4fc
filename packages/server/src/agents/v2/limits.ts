export const v2Path = '/api/clients/v2/rpc';
