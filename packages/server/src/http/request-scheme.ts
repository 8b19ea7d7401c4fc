import { compile } from '@fastify/proxy-addr';
import type { FastifyRequest } from 'fastify';
import type { BootConfig } from '../config/boot-config.ts';

const trustCache = new WeakMap<BootConfig, (addr: string) => boolean>();

function trusts(config: BootConfig, addr: string): boolean {
  let fn = trustCache.get(config);
  if (!fn) {
    const compiled = config.trustedProxies.length > 0 ? compile(config.trustedProxies) : undefined;
    fn = (a: string) => compiled?.(a, 0) ?? false;
    trustCache.set(config, fn);
  }
  return fn(addr);
}

function header(request: FastifyRequest, name: string): string {
  const v = request.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

/**
 * The request scheme as Komari resolves it (auth.md §4.2): TLS → https; then the first of
 * X-Forwarded-Proto, X-Forwarded-Protocol, X-Forwarded-Ssl: on, X-Url-Scheme — but only when the
 * peer is a configured trusted proxy (decision 4); otherwise http. Values are used as sent, so
 * only an exact "https" makes a cookie Secure.
 */
export function requestScheme(request: FastifyRequest, config: BootConfig): string {
  const socket = request.raw.socket as { encrypted?: boolean; remoteAddress?: string };
  if (socket.encrypted) return 'https';
  if (!socket.remoteAddress || !trusts(config, socket.remoteAddress)) return 'http';
  const proto = header(request, 'x-forwarded-proto') || header(request, 'x-forwarded-protocol');
  if (proto) return proto;
  if (header(request, 'x-forwarded-ssl') === 'on') return 'https';
  return header(request, 'x-url-scheme') || 'http';
}
