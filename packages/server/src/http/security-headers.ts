import type { FastifyInstance } from 'fastify';
import type { BootConfig } from '../config/boot-config.ts';
import { isBuiltInUi } from '../themes/built-in-ui.ts';

type Headers = Record<string, string>;

const never: Headers = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

/**
 * Who may frame the public pages. Komari users often embed their status page on their own site,
 * so framing is a setting: by default only this server itself (SAMEORIGIN); with
 * KOMARI_FRAME_ANCESTORS the listed origins too (CSP only: X-Frame-Options cannot name other
 * sites), or anyone with `*` (no framing header at all).
 */
function publicFraming(ancestors: readonly string[]): Headers {
  if (ancestors.length === 0) return { 'x-frame-options': 'SAMEORIGIN', 'content-security-policy': "frame-ancestors 'self'" };
  if (ancestors.includes('*')) return {};
  return { 'content-security-policy': `frame-ancestors 'self' ${ancestors.join(' ')}` };
}

/**
 * Headers on every HTML and JSON answer: no MIME sniffing, no full URL in the Referer to other
 * sites, and no framing of the admin panel and the terminal (clickjacking) nor of JSON. Headers
 * are only added: agent-facing answers keep their body and Content-Length.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, config: BootConfig): void {
  const publicPage = publicFraming(config.frameAncestors);
  fastify.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    const html = type.startsWith('text/html');
    if (!html && !type.startsWith('application/json')) return payload;
    const builtIn = isBuiltInUi(request.url);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', builtIn ? 'same-origin' : 'strict-origin-when-cross-origin');
    reply.headers(html && !builtIn ? publicPage : never);
    return payload;
  });
}
