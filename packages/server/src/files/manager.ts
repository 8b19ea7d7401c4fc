import type { PendingCalls } from '../agents/pending-calls.ts';
import type { AppContext } from '../app-context.ts';
import type { Clock } from '../clock.ts';
import { FileError, fileTexts } from './errors.ts';
import { callAgentFile, newFileCalls, type FileResult } from './file-calls.ts';
import type { FileLimits } from './limits.ts';
import { PreviewTokens } from './preview-tokens.ts';
import { TransferTable } from './transfers.ts';
import { UploadSessions } from './upload-sessions.ts';

/** Chunk sizes learned per client (a 413 shrinks them), bounded; the oldest entry goes first. */
export class LearnedChunkSizes {
  readonly #sizes = new Map<string, number>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(uuid: string): number | undefined {
    return this.#sizes.get(uuid);
  }

  set(uuid: string, size: number): void {
    this.#sizes.delete(uuid);
    while (this.#sizes.size >= this.#max) this.#sizes.delete(this.#sizes.keys().next().value!);
    this.#sizes.set(uuid, size);
  }
}

/** Everything the file manager holds in memory, each part bounded by files/limits.ts. */
export interface FileManager {
  calls: PendingCalls<FileResult>;
  transfers: TransferTable;
  uploads: UploadSessions;
  previews: PreviewTokens;
  chunkSizes: LearnedChunkSizes;
}

export function createFileManager(limits: FileLimits, clock: Clock): FileManager {
  return {
    calls: newFileCalls(limits.maxPendingCalls),
    transfers: new TransferTable(limits, clock),
    uploads: new UploadSessions(limits, clock),
    previews: new PreviewTokens(limits, clock),
    chunkSizes: new LearnedChunkSizes(limits.maxLearnedChunkSizes),
  };
}

/**
 * The sweep job: unclaimed transfers past their TTL, expired preview tokens, and expired upload
 * sessions, which are also cancelled on their agents (best effort: an offline agent cleans its
 * `.part` file itself).
 */
export async function sweepFiles(app: AppContext): Promise<void> {
  const files = app.files;
  files.transfers.sweep();
  files.previews.sweep();
  const expired = files.uploads.takeExpired();
  await Promise.all(
    expired.map((s) =>
      callAgentFile(app, s.uuid, 'upload_cancel', { upload_id: s.id, path: s.path }).catch((err: unknown) =>
        app.log.info({ uuid: s.uuid, err: (err as Error).message }, 'cancelling an expired file upload on its agent failed'),
      ),
    ),
  );
}

/** A deleted client's calls and transfers end at once rather than at their timeouts. */
export function forgetFileClient(app: AppContext, uuid: string): void {
  app.files.calls.failAll(uuid, new FileError('offline', fileTexts.offline));
  app.files.transfers.closeAll(uuid);
}
