/**
 * Every number of the remote file manager (komari-1.5.md §2.6), as data. Tests shrink them through
 * `buildApp({ limits: { files: {...} } })`: small chunks, short TTLs.
 */
export interface FileLimits {
  /** an `admin:file*` call waits this long for `agent.file.result` (Komari: 30 s) */
  callTimeoutMs: number;
  /** the `stat` before a download (60 s) */
  statTimeoutMs: number;
  /** `search` (90 s) */
  searchTimeoutMs: number;
  /** `upload_commit` of a merge (90 s) */
  mergeTimeoutMs: number;
  /** a `download_stream`/`upload_stream` call: the agent answers once its bytes are through (30 min) */
  streamCallTimeoutMs: number;
  /** file calls waiting for their agent at once, every client together */
  maxPendingCalls: number;
  /** what `read`/`write` move in JSON (the agent's edit limit, 4 MiB) */
  editBytes: number;
  /**
   * What an `agent.file.result` carries besides the base64 `data` of a `read` (the JSON-RPC
   * envelope, size, modified_at, content_type, the token when it rides in the body), generously
   */
  resultEnvelopeBytes: number;
  /** transfer chunk: default, smallest, largest (25 / 1 / 128 MiB) */
  defaultChunkBytes: number;
  minChunkBytes: number;
  maxChunkBytes: number;
  /** the largest upload (8 GiB) */
  maxUploadBytes: number;
  /** upload sessions open at once, every client together (4; then 429) */
  maxUploadSessions: number;
  /** an idle upload session lives this long (15 min) … */
  uploadTtlMs: number;
  /** … and this long while one of its chunks streams (30 min) */
  uploadStreamingTtlMs: number;
  /** stream transfers open at once (32); allocation waits for a slot */
  maxTransfers: number;
  /** how long an allocation may wait for a slot before it fails */
  transferSlotWaitMs: number;
  /** allocations waiting for a slot at once; past it they fail at once */
  maxTransferWaiters: number;
  /** a transfer the agent has not connected to is dropped after this long (2 min) */
  transferTtlMs: number;
  /** how often expired transfers, upload sessions and preview tokens are swept (1 min) */
  sweepEveryMs: number;
  /** a download chunk is tried this many times while none of its bytes reached the browser (3) */
  downloadAttempts: number;
  /** the pause before retry n is n × this (150 ms) */
  downloadRetryBaseMs: number;
  /** chunk sizes learned per client (a 413 halves them); the oldest entry goes past this */
  maxLearnedChunkSizes: number;
  /** preview tokens live this long (10 min) */
  previewTtlMs: number;
  /** preview tokens held at once; the oldest goes past this */
  maxPreviewTokens: number;
  /** a path or file name in the params, in characters */
  maxPathChars: number;
  /** a search query, in characters */
  maxQueryChars: number;
  /** the JSON body of upload init/merge/cancel, in bytes */
  maxControlBodyBytes: number;
}

const MiB = 1024 * 1024;

export const defaultFileLimits: FileLimits = {
  callTimeoutMs: 30_000,
  statTimeoutMs: 60_000,
  searchTimeoutMs: 90_000,
  mergeTimeoutMs: 90_000,
  streamCallTimeoutMs: 30 * 60_000,
  maxPendingCalls: 1024,
  editBytes: 4 * MiB,
  resultEnvelopeBytes: 64 * 1024,
  defaultChunkBytes: 25 * MiB,
  minChunkBytes: MiB,
  maxChunkBytes: 128 * MiB,
  maxUploadBytes: 8 * 1024 * MiB,
  maxUploadSessions: 4,
  uploadTtlMs: 15 * 60_000,
  uploadStreamingTtlMs: 30 * 60_000,
  maxTransfers: 32,
  transferSlotWaitMs: 60_000,
  maxTransferWaiters: 256,
  transferTtlMs: 2 * 60_000,
  sweepEveryMs: 60_000,
  downloadAttempts: 3,
  downloadRetryBaseMs: 150,
  maxLearnedChunkSizes: 10_000,
  previewTtlMs: 10 * 60_000,
  maxPreviewTokens: 10_000,
  maxPathChars: 4096,
  maxQueryChars: 1024,
  maxControlBodyBytes: 64 * 1024,
};

/**
 * The body limit of the v2 agent POST route: agents answer `agent.file` there, and a `read` of a
 * file at the edit limit is its bytes in base64 plus the envelope — more than the server-wide
 * `KOMARI_BODY_LIMIT` (1 MiB) that every other route keeps. Also the cap after gunzip.
 */
export function agentPostBodyLimit(files: FileLimits, serverBodyLimit: number): number {
  return Math.max(serverBodyLimit, Math.ceil(files.editBytes / 3) * 4 + files.resultEnvelopeBytes);
}
