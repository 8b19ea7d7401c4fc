import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';

const params = z.object({
  event: z.string().max(4096).optional(),
  action: z.string().max(4096).optional(),
  operation: z.string().max(4096).optional(),
  path: z.string().max(65_536).optional(),
  route: z.string().max(65_536).optional(),
  target: z.string().max(65_536).optional(),
  detail: z.unknown().optional(),
});

const maxMessage = 4096;
const maxDetailJson = 2048;

/** Komari's normalisation: trimmed, lower case, whitespace → `_`, only `[a-z0-9_\-:.]`, 64 at most. */
export function normaliseEvent(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_')
    .replace(/[^\p{L}\p{N}_\-:.]/gu, '')
    .slice(0, 64);
}

const cut = (s: string | undefined, n: number): string => [...(s ?? '')].slice(0, n).join('');

/**
 * `visitor event: {json}` at most 4096 characters: the longest free field is halved until it
 * fits (rpc2.md §10.2.4).
 */
export function visitorMessage(fields: { event: string; path: string; route: string; target: string; user_agent: string; detail: unknown }): string {
  const f = { ...fields };
  const detailJson = JSON.stringify(f.detail ?? null) ?? 'null';
  if (Buffer.byteLength(detailJson) > maxDetailJson) f.detail = { truncated: true, size: Buffer.byteLength(detailJson) };
  for (let i = 0; i < 64; i++) {
    const message = `visitor event: ${JSON.stringify(f)}`;
    if (message.length <= maxMessage) return message;
    const longest = (['path', 'user_agent', 'route', 'target'] as const).reduce((a, b) => (f[a].length >= f[b].length ? a : b));
    f[longest] = f[longest].slice(0, Math.floor(f[longest].length / 2));
  }
  return `visitor event: ${JSON.stringify({ event: f.event })}`;
}

/** rpc2.md §10.2.4: a front end's visitor event into the audit log, when the admin turned that on. */
export const visitorEventMethods: MethodDef[] = [
  defineMethod({
    name: 'public:recordVisitorEvent',
    summary: 'Record a visitor event in the audit log (when visitor_audit_enabled is on)',
    params,
    namedOnly: true,
    handler: async (p, { app, caller }) => {
      if (!app.visitorEvents.take(caller.meta.ip, app.clock.now())) return { status: 'rate_limited' };
      if (!app.settings.get('visitor_audit_enabled')) return { status: 'disabled' };
      const event = normaliseEvent(p.event ?? p.action ?? p.operation ?? '');
      if (!event) throw AppError.invalidParams('event is required');
      const message = visitorMessage({
        event,
        path: cut(p.path, 512),
        route: cut(p.route, 128),
        target: cut(p.target, 128),
        user_agent: cut(caller.meta.userAgent, 512),
        detail: p.detail ?? null,
      });
      await app.audit.log(caller.meta.ip, '', message, 'visitor');
      return { status: 'success' };
    },
  }),
];
