// The session id of a Komari 1.5 terminal (komari-1.5.md §4.3): the server's first text frame,
// kept to re-attach with `?request_id=` after the socket drops, and per node in sessionStorage
// so that a reload of the same tab re-attaches without a new 2FA code.

/** The server's ids: 32 characters [0-9A-Za-z]; anything else is not one of its ids. */
const idPattern = /^[0-9A-Za-z]{32}$/;

/** The largest text frame looked at as the id frame (the real one is 46 bytes). */
const maxIdFrameLength = 256;

/** `{"request_id":"<id>"}` → the id; undefined for any other text (shell output, notices). */
export function parseRequestIdFrame(text: string): string | undefined {
  if (text.length > maxIdFrameLength || !text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const id = (parsed as { request_id?: unknown }).request_id;
  return typeof id === 'string' && idPattern.test(id) ? id : undefined;
}

/**
 * Re-attach attempts after an unexpected drop, and the wait before each: bounded, so a server
 * that is gone for good is given up on within about 15 s (its grace for the session is 60 s).
 */
export const reattachDelaysMs: readonly number[] = [500, 1000, 2000, 4000, 8000];

/** The wait before re-attach attempt `attempt` (1-based); undefined once the attempts are used up. */
export function reattachDelay(attempt: number): number | undefined {
  return Number.isInteger(attempt) && attempt >= 1 ? reattachDelaysMs[attempt - 1] : undefined;
}

/** One key per node: an id is only ever offered back to the node it was opened on. */
export function storageKey(uuid: string): string {
  return `komari-terminal:${uuid}`;
}

/** The kept id for `uuid`, if a valid one is there (storage may be off or hold junk). */
export function loadRequestId(storage: Pick<Storage, 'getItem'> | undefined, uuid: string): string | undefined {
  try {
    const raw = storage?.getItem(storageKey(uuid));
    return raw && idPattern.test(raw) ? raw : undefined;
  } catch {
    return undefined;
  }
}

export function saveRequestId(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined, uuid: string, id: string | undefined): void {
  try {
    if (id) storage?.setItem(storageKey(uuid), id);
    else storage?.removeItem(storageKey(uuid));
  } catch {
    // private mode or a full storage: a reload then opens a new session, nothing else is lost
  }
}

/** The page's sessionStorage, when the browser gives one. */
export function tabStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}
