import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { email } from '../../src/alerts/notifiers/email.ts';
import { offlineNotice, sendVia } from './notice.ts';

interface ReceivedMail {
  auth: { method: string; username: string } | undefined;
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

interface SmtpStandIn {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (no STARTTLS on offer, so credentials may go in clear, as in a LAN relay). */
async function startSmtp(opts: { auth: boolean }): Promise<SmtpStandIn> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'mailer' && auth.password === 'pa ss:wörd') return cb(null, { user: { method: auth.method, username: auth.username } });
      cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          auth: session.user as ReceivedMail['auth'],
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Headers (unfolded, lower-case names) and the decoded body of a single-part message. */
function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const encoded = raw.slice(split + 4);
  const cte = headers['content-transfer-encoding'] ?? '7bit';
  let bytes: Buffer;
  if (cte === 'base64') bytes = Buffer.from(encoded, 'base64');
  else if (cte === 'quoted-printable') {
    const soft = encoded.replace(/=\r\n/g, '');
    bytes = Buffer.from(soft.replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  } else bytes = Buffer.from(encoded);
  return { headers, body: bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

/** An RFC 2047 header value (`=?UTF-8?B?…?=` / `=?UTF-8?Q?…?=` words) as text. */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

const stops: Array<() => Promise<void>> = [];
after(async () => {
  await Promise.all(stops.map((s) => s()));
});
async function smtp(auth: boolean): Promise<SmtpStandIn> {
  const s = await startSmtp({ auth });
  stops.push(s.close);
  return s;
}

function config(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { host: '127.0.0.1', port, username: 'mailer', password: 'pa ss:wörd', sender: 'Komari <komari@example.com>', receiver: 'ops@example.com, boss@example.com', ...extra };
}

describe('email (Komari’s SMTP sender, against a real SMTP server)', () => {
  it('AUTH PLAIN: the mail reaches both receivers with From, To, the decoded Subject and a text/plain body', async () => {
    const s = await smtp(true);
    const notice = offlineNotice();
    notice.title = 'Offline 离线 🔴';
    await sendVia(email, config(s.port), notice);
    const mail = s.mails[0]!;
    assert.deepEqual(mail.auth, { method: 'PLAIN', username: 'mailer' });
    assert.equal(mail.mailFrom, 'komari@example.com');
    assert.deepEqual(mail.rcptTo, ['ops@example.com', 'boss@example.com']);
    const { headers, body } = parseMail(mail.raw);
    assert.equal(headers.from, 'Komari <komari@example.com>');
    assert.equal(headers.to, 'ops@example.com, boss@example.com');
    assert.equal(decodeWords(headers.subject!), 'Offline 离线 🔴');
    assert.match(headers['content-type']!, /^text\/plain; charset=utf-8$/i);
    assert.equal(body, notice.text);
  });

  it('use_login_auth: AUTH LOGIN; a body with <div>…</div> goes as text/html', async () => {
    const s = await smtp(true);
    const html = '<div><b>hk-1</b> is offline</div>';
    await sendVia(email, config(s.port, { use_login_auth: true }), offlineNotice(html));
    const mail = s.mails[0]!;
    assert.deepEqual(mail.auth, { method: 'LOGIN', username: 'mailer' });
    const { headers, body } = parseMail(mail.raw);
    assert.match(headers['content-type']!, /^text\/html; charset=utf-8$/i);
    assert.equal(body, html);
  });

  it('a relay without AUTH: username and password both empty is allowed (komari-ts; Komari refuses it)', async () => {
    const s = await smtp(false);
    await sendVia(email, config(s.port, { username: '', password: '' }));
    assert.equal(s.mails[0]!.auth, undefined);
    assert.deepEqual(s.mails[0]!.rcptTo, ['ops@example.com', 'boss@example.com']);
  });

  it('wrong credentials fail with the server’s answer and never the password', async () => {
    const s = await smtp(true);
    await assert.rejects(sendVia(email, config(s.port, { password: 'wrong-secret' })), (err: Error) => {
      assert.match(err.message, /Invalid username or password/);
      assert.ok(!err.message.includes('wrong-secret'), err.message);
      return true;
    });
    assert.equal(s.mails.length, 0);
  });

  it('use_ssl on a port other than 465 requires STARTTLS: a server without it is refused before AUTH', async () => {
    const s = await smtp(true);
    await assert.rejects(sendVia(email, config(s.port, { use_ssl: true })), /STARTTLS/);
    assert.equal(s.mails.length, 0);
  });

  it('a half-filled form fails with Komari’s text', async () => {
    const expected = { message: 'email sending is not fully configured' };
    await assert.rejects(sendVia(email, config(1, { password: '' })), expected);
    await assert.rejects(sendVia(email, config(1, { receiver: ' , ' })), expected);
    await assert.rejects(sendVia(email, config(1, { sender: '' })), expected);
    await assert.rejects(sendVia(email, config(1, { host: '' })), expected);
  });

  it('a server that accepts the connection but never greets ends at the deadline', async () => {
    const silent: TcpServer = createTcpServer(() => {
      // never says 220
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          silent.close(() => resolve());
        }),
    );
    const { port } = silent.address() as AddressInfo;
    await assert.rejects(sendVia(email, config(port), offlineNotice(), 300), Error);
  });
});
