import { RpcCode } from '@komari-ts/protocol';
import { AppError, httpStatusOf } from '../errors.ts';

/**
 * What went wrong with a file call or transfer, told apart once so that the RPC side (a code,
 * komari-1.5.md §2.2) and the HTTP routes (a status, §2.4 `respondTransferError`) agree.
 */
export type FileErrorKind =
  | 'offline'
  | 'unsupported'
  | 'timeout'
  | 'cancelled'
  | 'unknownToken'
  | 'tooManyUploads'
  | 'tooLarge'
  | 'busy'
  | 'agent';

export const fileTexts = {
  unsupported: 'agent does not support file operations',
  offline: 'agent is not connected',
  timeout: 'file operation timed out',
  failed: 'file operation failed',
  cancelled: 'request canceled',
  unsupportedHttp: 'Agent does not support real-time file transfer; update the Agent binary',
  tooManyUploads: 'too many concurrent uploads',
  tooManyTransfers: 'too many file transfers; try again later',
  unknownUpload: 'unknown or expired upload session',
} as const;

export class FileError extends AppError {
  readonly kind: FileErrorKind;

  constructor(kind: FileErrorKind, message: string) {
    super(codeOf(kind, message), message);
    this.name = 'FileError';
    this.kind = kind;
  }
}

const unsupportedMarks = ['unsupported file operation', 'does not support file operations', 'web control is disabled'];
const deniedMarks = ['permission denied', 'operation not permitted'];
const missingMarks = ['no such file', 'cannot find', 'not found'];
const tooLargeMarks = ['413', 'too large'];

const has = (message: string, marks: readonly string[]) => {
  const m = message.toLowerCase();
  return marks.some((k) => m.includes(k));
};

/** The agent's `error` text of an `ok:false` result, sorted by what it says. */
export function agentFailure(text: string): FileError {
  const message = text === '' ? fileTexts.failed : text;
  if (has(message, unsupportedMarks)) return new FileError('unsupported', message);
  if (has(message, tooLargeMarks)) return new FileError('tooLarge', message);
  return new FileError('agent', message);
}

function codeOf(kind: FileErrorKind, message: string): number {
  switch (kind) {
    case 'offline':
    case 'busy':
    case 'tooManyUploads':
      return RpcCode.Unavailable;
    case 'unsupported':
      return RpcCode.Unimplemented;
    case 'timeout':
      return RpcCode.DeadlineExceeded;
    case 'cancelled':
      return RpcCode.Cancelled;
    case 'unknownToken':
      return RpcCode.NotFound;
    default:
      if (has(message, deniedMarks)) return RpcCode.PermissionDenied;
      if (has(message, missingMarks)) return RpcCode.NotFound;
      return RpcCode.InternalError;
  }
}

/** Any failure of a file call as a FileError; AppErrors of validation and access pass unchanged. */
export function asFileError(err: unknown): AppError {
  if (err instanceof FileError) return err;
  if (err instanceof AppError) {
    if (err.code === RpcCode.DeadlineExceeded) return new FileError('timeout', err.message);
    if (err.code === RpcCode.Cancelled) return new FileError('cancelled', err.message);
    return err;
  }
  return new FileError('agent', err instanceof Error ? err.message : String(err));
}

/** The HTTP status and message of a failure on the transfer routes (§2.4 `respondTransferError`). */
export function fileHttpError(err: AppError): { status: number; message: string } {
  if (!(err instanceof FileError)) return { status: httpStatusOf(err.code), message: err.message };
  switch (err.kind) {
    case 'tooLarge':
      return { status: 413, message: err.message };
    case 'unsupported':
      return { status: 501, message: fileTexts.unsupportedHttp };
    case 'offline':
    case 'busy':
      return { status: 503, message: err.message };
    case 'timeout':
      return { status: 504, message: err.message };
    case 'cancelled':
      return { status: 408, message: err.message };
    case 'unknownToken':
      return { status: 410, message: err.message };
    case 'tooManyUploads':
      return { status: 429, message: err.message };
    default:
      return { status: 502, message: err.message };
  }
}
