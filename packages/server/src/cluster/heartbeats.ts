/**
 * A replica's heartbeat: which nodes it holds, in as many parts as it takes to stay under NATS's
 * message limit (a part names at most `maxNodesPerPart`), numbered so the receiver knows when it
 * has the whole list and may let go of the nodes it no longer names.
 */
export interface HeartbeatPart {
  from: string;
  /** the beat this part belongs to; grows by one each beat */
  seq: number;
  part: number;
  parts: number;
  nodes: string[];
}

/** The most parts one beat may have (a malformed `parts` cannot make a receiver wait for ever). */
const maxParts = 10_000;

export function heartbeatParts(from: string, seq: number, nodes: readonly string[], maxNodesPerPart: number): HeartbeatPart[] {
  const parts = Math.max(1, Math.ceil(nodes.length / maxNodesPerPart));
  return Array.from({ length: parts }, (_, part) => ({ from, seq, part, parts, nodes: nodes.slice(part * maxNodesPerPart, (part + 1) * maxNodesPerPart) }));
}

export function isHeartbeatPart(v: unknown, maxNodesPerPart: number): v is HeartbeatPart {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as HeartbeatPart;
  return (
    typeof h.from === 'string' &&
    Number.isSafeInteger(h.seq) &&
    Number.isSafeInteger(h.parts) && h.parts >= 1 && h.parts <= maxParts &&
    Number.isSafeInteger(h.part) && h.part >= 0 && h.part < h.parts &&
    Array.isArray(h.nodes) && h.nodes.length <= maxNodesPerPart && h.nodes.every((n) => typeof n === 'string')
  );
}

interface Sender {
  /** the last whole list */
  nodes: Set<string>;
  /** the beat being received, and what its parts named so far */
  seq: number;
  partsSeen: Set<number>;
  collecting: Set<string>;
  heard: number;
}

/**
 * What each other replica's heartbeats said it holds. `take` returns the nodes to let go of once a
 * beat is complete (named by the previous beat, not by this one).
 */
export class HeldByReplica {
  readonly #senders = new Map<string, Sender>();

  take(h: HeartbeatPart, now: number): string[] {
    let s = this.#senders.get(h.from);
    if (!s) this.#senders.set(h.from, (s = { nodes: new Set(), seq: h.seq, partsSeen: new Set(), collecting: new Set(), heard: now }));
    s.heard = now;
    if (h.seq !== s.seq) {
      // a new beat (or a beat whose parts were lost: the one before never completed)
      s.seq = h.seq;
      s.partsSeen = new Set();
      s.collecting = new Set();
    }
    s.partsSeen.add(h.part);
    for (const n of h.nodes) s.collecting.add(n);
    if (s.partsSeen.size < h.parts) return [];
    const gone = [...s.nodes].filter((n) => !s.collecting.has(n));
    s.nodes = s.collecting;
    s.partsSeen = new Set();
    s.collecting = new Set();
    return gone;
  }

  /** Forgets replicas not heard from since `before`: their nodes expire in the live view anyway. */
  forgetSilent(before: number): void {
    for (const [replica, s] of this.#senders) if (s.heard < before) this.#senders.delete(replica);
  }
}
