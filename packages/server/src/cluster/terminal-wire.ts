import type { RelayFrame } from '../terminal/frames.ts';

/**
 * The messages of a relayed web terminal (terminal-relay.ts), as they travel on NATS between the
 * replica holding the browser's side and the one holding the agent's socket. Everything from the
 * bus is checked here; what does not fit is malformed and ignored.
 */

/** a session id (broker.ts: 32 of [0-9A-Za-z]) */
export const sessionIdPattern = /^[0-9A-Za-z]{32}$/;
const replicaIdPattern = /^[0-9a-zA-Z-]{1,64}$/;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;
/** a WebSocket close reason is at most 123 bytes */
const maxReasonLength = 100;

/** `term.find`: who holds this session? */
export interface FindAsk {
  id: string;
}
/** the holder's answer: what the asking replica checks the agent's token against */
export interface FindAnswer {
  holder: string;
  node: string;
  waiting: boolean;
}
/** `term.claim.<holder>`: the agent's socket is here, at `from` */
export interface ClaimAsk {
  id: string;
  from: string;
}

/** On `term.<replica>`: a piece of one frame (`more` until its last), or the end of the session. */
export type RelayMessage =
  | { id: string; from: string; d: string; t?: 1; more?: 1 }
  | { id: string; from: string; end: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isReplica = (v: unknown): v is string => typeof v === 'string' && replicaIdPattern.test(v);
const isSessionId = (v: unknown): v is string => typeof v === 'string' && sessionIdPattern.test(v);

export function parseFindAsk(v: unknown): FindAsk | undefined {
  return isRecord(v) && isSessionId(v.id) ? { id: v.id } : undefined;
}

export function parseFindAnswer(v: unknown): FindAnswer | undefined {
  if (!isRecord(v) || !isReplica(v.holder) || typeof v.node !== 'string' || v.node.length > 64 || typeof v.waiting !== 'boolean') return undefined;
  return { holder: v.holder, node: v.node, waiting: v.waiting };
}

export function parseClaimAsk(v: unknown): ClaimAsk | undefined {
  return isRecord(v) && isSessionId(v.id) && isReplica(v.from) ? { id: v.id, from: v.from } : undefined;
}

export function parseRelayMessage(v: unknown, maxFrameBytes: number): RelayMessage | undefined {
  if (!isRecord(v) || !isSessionId(v.id) || !isReplica(v.from)) return undefined;
  if (typeof v.end === 'string') return v.end.length <= maxReasonLength ? { id: v.id, from: v.from, end: v.end } : undefined;
  const d = v.d;
  // base64 of at most a whole frame: 4 characters per 3 bytes, padded
  if (typeof d !== 'string' || d.length % 4 !== 0 || d.length > Math.ceil(maxFrameBytes / 3) * 4 || !base64Pattern.test(d)) return undefined;
  if ((v.t !== undefined && v.t !== 1) || (v.more !== undefined && v.more !== 1)) return undefined;
  return { id: v.id, from: v.from, d, ...(v.t === 1 ? { t: 1 as const } : {}), ...(v.more === 1 ? { more: 1 as const } : {}) };
}

export function endMessage(id: string, from: string, reason: string): RelayMessage {
  return { id, from, end: reason.slice(0, maxReasonLength) };
}

/** One frame as the messages that carry it: a frame keeps its bounds and its type across the bus. */
export function piecesOf(id: string, from: string, frame: RelayFrame, pieceBytes: number): RelayMessage[] {
  const out: RelayMessage[] = [];
  const t = frame.binary ? {} : { t: 1 as const };
  for (let at = 0; at === 0 || at < frame.data.length; at += pieceBytes) {
    const last = at + pieceBytes >= frame.data.length;
    out.push({ id, from, d: frame.data.subarray(at, at + pieceBytes).toString('base64'), ...t, ...(last ? {} : { more: 1 as const }) });
  }
  return out;
}

/**
 * Puts pieces back into frames, in the order NATS keeps for one sender on one subject. A frame
 * past `maxFrameBytes` (the WebSocket payload bound, so no socket could have sent it) is refused.
 */
export class FrameAssembler {
  readonly #maxFrameBytes: number;
  #parts: Buffer[] = [];
  #bytes = 0;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** the whole frame once its last piece is in; 'overflow' when it grows past the bound */
  push(piece: { d: string; t?: 1; more?: 1 }): RelayFrame | 'overflow' | undefined {
    const data = Buffer.from(piece.d, 'base64');
    this.#bytes += data.length;
    if (this.#bytes > this.#maxFrameBytes) {
      this.#parts = [];
      this.#bytes = 0;
      return 'overflow';
    }
    this.#parts.push(data);
    if (piece.more) return undefined;
    const frame = { data: this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts), binary: piece.t !== 1 };
    this.#parts = [];
    this.#bytes = 0;
    return frame;
  }
}
