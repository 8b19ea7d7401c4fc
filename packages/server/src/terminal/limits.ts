/** Timings and sizes of the web terminal relay (agent-protocol.md §10), as data. */
export interface TerminalLimits {
  /** how long the agent has to dial `/api/clients/terminal` after the request (Komari: 30 s) */
  joinTimeoutMs: number;
  /** no frame in either direction for this long closes both sides (not in Komari) */
  idleTimeoutMs: number;
  /**
   * how often the browser's credentials are looked up again: logout, a password change, a deleted
   * or expired session, or a changed API key close the terminal within this long (control frames
   * check at once too)
   */
  sessionCheckMs: number;
  /** browser input held while the agent has not attached yet, in bytes */
  pendingBytes: number;
  /** the same, in frames */
  pendingFrames: number;
  /**
   * how long a session whose browser went away keeps its agent side for a re-attach by
   * `?request_id=` (Komari 1.5 suspends too; its grace is unknown, komari-1.5.md §6.7)
   */
  suspendGraceMs: number;
  /** agent output kept while no browser is attached, replayed on re-attach: the newest bytes */
  suspendedTailBytes: number;
  /** suspended sessions at once across the server; past it the one suspended longest ends */
  maxSuspended: number;
  /**
   * how long an ended session's id is remembered, so its owner's re-attach is told it expired
   * instead of "not found" (not in Komari)
   */
  endedMemoryMs: number;
  /** ended sessions remembered at once; the oldest are forgotten first */
  endedMemorySize: number;
}

export const defaultTerminalLimits: TerminalLimits = {
  joinTimeoutMs: 30_000,
  idleTimeoutMs: 30 * 60_000,
  sessionCheckMs: 5_000,
  pendingBytes: 256 * 1024,
  pendingFrames: 1024,
  suspendGraceMs: 60_000,
  suspendedTailBytes: 256 * 1024,
  maxSuspended: 64,
  endedMemoryMs: 10 * 60_000,
  endedMemorySize: 256,
};

/** The texts Komari writes to the browser, byte for byte (§10 steps 3, 4, 6). */
export const terminalTexts = {
  offline: 'Client offline!\n被控端离线!\n',
  waiting: '等待被控端连接 waiting for agent...\n',
  joinTimeout: '被控端连接超时 timeout\n',
  // Not in Komari, which has neither an idle timeout nor an input bound.
  idleTimeout: '终端空闲超时 idle timeout\n',
  // Not in Komari, which keeps a terminal open whatever happens to the session that opened it.
  sessionEnded: '会话已结束 session ended\n',
  pendingOverflow: '输入过多 too much input before the agent connected\n',
  // Not in Komari: the node the terminal runs on was deleted.
  nodeDeleted: '节点已删除 node deleted\n',
  // Komari 1.5's answer to a re-attach whose session is gone (komari-1.5.md §4.3).
  expired: 'Terminal session expired\n终端会话已过期\n',
} as const;
