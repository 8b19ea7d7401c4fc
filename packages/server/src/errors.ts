import { RpcCode } from '@komari-ts/protocol';
import { isStoreOutage, StoreInvalidText } from './store/errors.ts';

/**
 * komari-ts's code for "too many failed attempts, wait": Komari has no rate limits and so no code
 * for them; REST answers it as 429 (auth.md §11 [rec]).
 */
export const tooManyAttemptsCode = -32029;

/**
 * The one error type of the server. It carries a JSON-RPC code; REST bindings map the code to an
 * HTTP status with `httpStatusOf`, so a method reports a failure once and every transport agrees.
 */
export class AppError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.data = data;
  }

  static invalidParams(message: string, data?: unknown): AppError {
    return new AppError(RpcCode.InvalidParams, message, data);
  }
  static denied(message = 'Permission denied'): AppError {
    return new AppError(RpcCode.PermissionDenied, message);
  }
  static notFound(message: string, data?: unknown): AppError {
    return new AppError(RpcCode.NotFound, message, data);
  }
  /** `data.retryAfterSec` says when to try again (REST routes send it as Retry-After). */
  static tooManyAttempts(message: string, retryAfterSec: number): AppError {
    return new AppError(tooManyAttemptsCode, message, { retryAfterSec });
  }
  static internal(message: string, data?: unknown): AppError {
    return new AppError(RpcCode.InternalError, message, data);
  }
  /**
   * A caught failure worded by its handler (`Failed to fetch records: <reason>`): internal, or
   * -32051 (503) when the cause is a full or unreachable database.
   */
  static failed(message: string, cause: unknown): AppError {
    return new AppError(isStoreOutage(cause) ? RpcCode.Unavailable : RpcCode.InternalError, message);
  }
  /**
   * The database cannot serve this now: full (writes refused, reads work) or unreachable
   * (PostgreSQL down: everything that needs it waits for it; live data goes on).
   */
  static unavailable(message: string): AppError {
    return new AppError(RpcCode.Unavailable, message);
  }
}

/**
 * rpc2.md §11.2: -32602/-32600/-32700 → 400; -32041/-32040 → 401; -32044 → 404; else 500. Ours:
 * too many attempts → 429, -32051 (a full or unreachable database) → 503.
 */
export function httpStatusOf(code: number): number {
  switch (code) {
    case RpcCode.InvalidParams:
    case RpcCode.InvalidRequest:
    case RpcCode.ParseError:
      return 400;
    case RpcCode.PermissionDenied:
    case RpcCode.Unauthenticated:
      return 401;
    case RpcCode.NotFound:
      return 404;
    case tooManyAttemptsCode:
      return 429;
    case RpcCode.Unavailable:
      return 503;
    default:
      return 500;
  }
}

/**
 * Anything thrown that is not an AppError becomes an internal error with its message; a full
 * database becomes -32051 "database is full", an unreachable one -32051 "database is
 * unavailable" (HTTP 503 both).
 */
export function toAppError(err: unknown, fallback = 'Internal error'): AppError {
  if (err instanceof AppError) return err;
  if (isStoreOutage(err)) return AppError.unavailable(err.message);
  if (err instanceof StoreInvalidText) return AppError.invalidParams(err.message);
  const message = err instanceof Error ? err.message : String(err);
  return AppError.internal(message || fallback);
}

/**
 * The status of a failure a hand-written route catches and words itself: 503 when the database
 * is full or unreachable (try again later), else 500.
 */
export function failureStatusOf(err: unknown): 400 | 500 | 503 {
  if (err instanceof StoreInvalidText) return 400;
  return isStoreOutage(err) ? 503 : 500;
}
