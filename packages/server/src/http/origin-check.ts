/**
 * Origin matching shared by the API CORS check and the WebSocket origin check (auth.md §10):
 * an origin is allowed when its host[:port] equals the request Host, or it is on the allow-list.
 */
export function originHostEqualsHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Allow-list entries split on `,`, `\n`, `\r`; `*` = any; `scheme://host[:port]` or `host[:port]`. */
export function originInList(origin: string, list: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = url.host.toLowerCase();
  const full = `${url.protocol}//${host}`;
  for (const raw of list.split(/[,\n\r]/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('://') ? entry.replace(/\/+$/, '') === full : entry === host) return true;
  }
  return false;
}
