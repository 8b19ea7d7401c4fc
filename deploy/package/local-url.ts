/** The local URL of a server listening on `listen` (host:port, as KOMARI_LISTEN). */
export function localUrl(listen: string): string {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[|\]$/g, '');
  const port = listen.slice(i + 1);
  if (host === '' || host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}
