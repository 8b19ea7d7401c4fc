/** alerts: evaluation, delivery and what is kept (alerts/), as data */
export interface AlertLimits {
  /** one attempt to deliver to one channel is abandoned after this */
  sendTimeoutMs: number;
  /** attempts per channel per notice (Komari: 3) */
  attempts: number;
  /** wait before the second attempt; each further wait is four times the previous */
  retryBaseMs: number;
  /** notices being delivered at once, all channels together; past it a new notice is dropped (logged, and recorded as such) */
  maxPendingDeliveries: number;
  /** alert history rows kept (firing incidents are never dropped) */
  historyKeep: number;
  /** notices held during quiet hours for the summary; past it only the count grows */
  maxHeldNotices: number;
  /** how often the offline watcher looks at grace deadlines */
  offlineTickMs: number;
  /** how often load, latency/loss, traffic, expiry and quiet-hours checks run */
  evaluateTickMs: number;
  /**
   * after a start, how long nodes that were online before it have to reconnect before their
   * grace begins to count: agents back off when the server was away
   */
  startupGraceMs: number;
  /** bytes of a template or a rendered message; longer is cut */
  maxMessageBytes: number;
  /**
   * channels, load rules and latency/loss rules, each: with a rule's node list (≤ 10,000) and a
   * config field (≤ 16 KiB) bounded too, what rules hold in memory is bounded
   */
  maxRules: number;
}

export const defaultAlertLimits: AlertLimits = {
  sendTimeoutMs: 10_000,
  attempts: 3,
  retryBaseMs: 2_000,
  maxPendingDeliveries: 1000,
  historyKeep: 5000,
  maxHeldNotices: 500,
  offlineTickMs: 1000,
  evaluateTickMs: 60_000,
  startupGraceMs: 60_000,
  maxMessageBytes: 16 * 1024,
  maxRules: 200,
};
