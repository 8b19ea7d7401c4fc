import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { tls } from '../lazy-modules.ts';
import { resolveHost } from './resolve.ts';

export interface ConnectOptions {
  /** --ignore-unsafe-cert */
  insecure: boolean;
  /** --prefer-ip-version */
  family?: 4 | 6;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Host and port of an http(s):// or ws(s):// URL, and whether it needs TLS. */
export function originOf(url: URL): { host: string; port: number; secure: boolean } {
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  // WHATWG keeps IPv6 hosts in brackets; net.connect wants them bare
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: url.port ? Number(url.port) : secure ? 443 : 80, secure };
}

/**
 * A connected TCP (or, for https/wss, TLS) socket to the URL's origin, its host name resolved by
 * resolve.ts. node:tls is loaded only when an endpoint needs it (lazy-modules.ts).
 */
export async function openConnection(url: URL, o: ConnectOptions): Promise<Socket> {
  const { host, port, secure } = originOf(url);
  if (o.signal?.aborted) throw new Error('aborted');
  const address = await resolveHost(host, o.family);
  if (o.signal?.aborted) throw new Error('aborted');
  let socket: Socket;
  let ready: string;
  if (secure) {
    // the certificate is checked against the name, not the address it resolved to
    const servername = isIP(host) ? undefined : host;
    socket = tls().connect({ host: address, port, servername, rejectUnauthorized: !o.insecure, ALPNProtocols: ['http/1.1'] });
    ready = 'secureConnect';
  } else {
    socket = tcpConnect({ host: address, port });
    ready = 'connect';
  }
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`no connection within ${o.timeoutMs} ms`)), o.timeoutMs);
    const onAbort = () => fail(new Error('aborted'));
    const onError = (err: Error) => fail(err);
    const cleanup = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once(ready, () => {
      cleanup();
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

/** The request line and headers of an HTTP/1.1 request. */
export function requestHead(method: string, url: URL, headers: Record<string, string>): string {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name + value)) throw new Error(`header ${name} holds a line break`);
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}
