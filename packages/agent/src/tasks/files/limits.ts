const MiB = 1024 * 1024;

/**
 * Every bound of the file manager in one place (komari-1.5.md §2.3, §2.5, §2.6; the official
 * agent's values unless a note says otherwise).
 */
export const fileLimits = {
  /** read / write: the whole file travels base64 in JSON-RPC */
  editableBytes: 4 * MiB,
  /** search: matches returned; more sets `limited` */
  searchMatches: 500,
  /** search with `content`: larger files are not opened */
  searchContentMaxBytes: 10 * MiB,
  /** search: a matching line is cut to this many characters */
  searchTextChars: 300,
  /** search: stops and answers `limited` after this long (komari-ts; the server waits 90 s) */
  searchTimeMs: 60_000,
  /** list: a directory with more entries is refused rather than answered in one JSON body (komari-ts) */
  listEntries: 20_000,
  /** download_stream / upload_stream running at once */
  streams: 8,
  /** streams waiting for a slot; past it a stream is refused at once (komari-ts) */
  streamWaiters: 64,
  /** one stream's bytes */
  streamMaxBytes: 128 * MiB,
  /** one stream's HTTP exchange, start to end */
  streamTimeoutMs: 30 * 60_000,
  /** of a refused transfer's answer, kept for the error text */
  streamErrorBytes: 4096,
  /** upload chunk size when the server gives none */
  defaultChunkBytes: 2 * MiB,
  /** upload sessions remembered at once (komari-ts; the server allows 4) */
  uploadSessions: 64,
  /** an upload session untouched this long is forgotten (its .part stays for upload_cancel) */
  uploadSessionTtlMs: 30 * 60_000,
  /** file operations (of any kind) in progress at once; past it one is refused (komari-ts) */
  operations: 64,
  /** agent.file.result / agent.startupConfig.result POST */
  resultTimeoutMs: 60_000,
  resultAttempts: 4,
  /** pause before attempt n+1: n × this */
  resultBackoffMs: 500,
  /** symbolic links followed while resolving one path (Linux's own limit) */
  symlinkHops: 40,
} as const;
