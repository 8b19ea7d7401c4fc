import { z } from 'zod';

/** JSON-RPC error codes used by Komari (rpc2.md §6). */
export const RpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  Unauthenticated: -32040,
  PermissionDenied: -32041,
  NotFound: -32044,
  AlreadyExists: -32045,
  Cancelled: -32010,
  DeadlineExceeded: -32011,
  Unimplemented: -32050,
  Unavailable: -32051,
} as const;
export type RpcCode = (typeof RpcCode)[keyof typeof RpcCode];

export type RpcId = string | number;

/** A request as it arrives; validated by `parseRpcRequest`, not by a zod schema, because the
 * error messages must be Komari's (`invalid jsonrpc version`, `method required`). */
export interface RpcRequest {
  jsonrpc: '2.0';
  method: string;
  params?: unknown;
  id?: RpcId;
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** `id`, `result` and `error.data` are omitted when absent (Komari never writes `"id": null`). */
export interface RpcResponse {
  jsonrpc: '2.0';
  id?: RpcId;
  result?: unknown;
  error?: RpcErrorObject;
}

export const rpcIdSchema = z.union([z.string(), z.number()]);

/** REST envelopes of the bridge (rpc2.md §11.2). */
export type RestRender = 'standard' | 'raw' | 'flat';
