import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { defineNotifier, type SendContext } from './types.ts';
import { decoded, needed } from './url-parts.ts';

/** Komari's rule for an HTML body: `<html`, `<!doctype`, or a `<div>…</div>` (notifications.md §2.2). */
function looksLikeHtml(body: string): boolean {
  const b = body.toLowerCase();
  return b.includes('<html') || b.includes('<!doctype') || (b.includes('<div') && b.includes('</div>'));
}

/** nodemailer takes timeouts, not a signal: the send also ends when the delivery is aborted. */
function untilAborted<T>(work: Promise<T>, ctx: SendContext, onAbort: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(new Error('SMTP server did not answer before the delivery deadline'));
    };
    if (ctx.signal.aborted) return abort();
    ctx.signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => ctx.signal.removeEventListener('abort', abort));
  });
}

/** SMTP, Komari's `email` sender (notifications.md §2.2). */
export const email = defineNotifier({
  kind: 'email',
  komari: true,
  config: z.object({
    // Optional in the schema so the send can answer with Komari's own completeness error.
    host: z.string().optional().meta({ required: true, help: 'SMTP server' }),
    port: z.number().int().min(1).max(65535).default(587).meta({ required: true }),
    username: z.string().optional(),
    password: z.string().optional(),
    sender: z.string().optional().meta({ help: 'From address; `Name <a@b>` allowed' }),
    receiver: z.string().optional().meta({ help: 'comma-separated addresses' }),
    use_ssl: z.boolean().default(false).meta({ help: 'port 465: TLS from the start; other ports: STARTTLS required' }),
    use_login_auth: z.boolean().default(false).meta({ help: 'AUTH LOGIN instead of AUTH PLAIN (Outlook, 163, …)' }),
  }),
  secretFields: ['password'],
  async send(notice, cfg, ctx) {
    const to = (cfg.receiver ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    // komari-ts deviation: Komari also demands username and password, so an unauthenticated relay
    // (a LAN smarthost, a local postfix) cannot be used. Both empty means "no AUTH"; exactly one of
    // them set is still a half-filled form.
    const authHalfSet = !cfg.username !== !cfg.password;
    if (!cfg.host || !cfg.sender || to.length === 0 || authHalfSet) throw new Error('email sending is not fully configured');
    const implicitTls = cfg.use_ssl && cfg.port === 465;
    const transport = createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: implicitTls,
      // use_ssl on another port: STARTTLS or fail; without use_ssl: STARTTLS when offered (Go's smtp.SendMail).
      requireTLS: cfg.use_ssl && !implicitTls,
      auth: cfg.username ? { user: cfg.username, pass: cfg.password } : undefined,
      authMethod: cfg.use_login_auth ? 'LOGIN' : 'PLAIN',
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
    });
    const body = notice.text;
    const mail = { from: cfg.sender, to, subject: notice.title, ...(looksLikeHtml(body) ? { html: body } : { text: body }) };
    try {
      await untilAborted(transport.sendMail(mail), ctx, () => transport.close());
    } finally {
      transport.close();
    }
  },
  url: {
    // mailto://user:pass@host[:port]?to=a@b,c@d&from=me@x (Apprise); mailtos:// sets use_ssl.
    schemes: ['mailto', 'mailtos'],
    parse(url) {
      const form = 'mailto://user:pass@host:port?to=a@b&from=me@b';
      const ssl = url.protocol === 'mailtos:';
      const user = decoded(url.username);
      const cfg: Record<string, unknown> = {
        host: needed(decoded(url.hostname), 'SMTP host', form),
        port: url.port ? Number(url.port) : ssl ? 465 : 587,
        use_ssl: ssl,
        receiver: needed(url.searchParams.get('to') ?? undefined, 'receiver (?to=)', form),
      };
      if (user) cfg.username = user;
      if (url.password) cfg.password = decoded(url.password);
      const from = url.searchParams.get('from') ?? (user.includes('@') ? user : undefined);
      cfg.sender = needed(from, 'sender (?from=)', form);
      if (url.searchParams.get('login') === 'yes' || url.searchParams.get('auth') === 'login') cfg.use_login_auth = true;
      return cfg;
    },
  },
});
