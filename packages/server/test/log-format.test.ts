import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { loggerOptions } from '../src/http/log-options.ts';
import { bannerText, bannerTitle, bannerUrls } from '../src/logging/banner.ts';
import { logLimits } from '../src/logging/limits.ts';
import { chooseLogFormat } from '../src/logging/log-format.ts';
import { prettyLine } from '../src/logging/pretty-line.ts';
import { LogCapture } from './helpers/log-capture.ts';

const head = /^\d{2}:\d{2}:\d{2}\.\d{3} /;
const at = 1_700_000_000_123;
const line = (o: Record<string, unknown>) => JSON.stringify({ level: 30, time: at, pid: 7, hostname: 'h', ...o });

/** Lines written to a terminal: the logger sees `isTTY` as on process.stdout. */
class TtyCapture extends LogCapture {
  readonly isTTY = true;
}

describe('pretty log lines', () => {
  it('show local time, the level, the message and key=value fields; pid and hostname are left out', () => {
    const out = prettyLine(line({ reqId: 'req-1', res: { statusCode: 200 }, responseTime: 1.2345, msg: 'request completed' }), { color: false });
    const d = new Date(at);
    const two = (n: number) => String(n).padStart(2, '0');
    assert.equal(out, `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.123 INFO  request completed reqId=req-1 status=200 ms=1.2\n`);
  });

  it("a request line names the method, URL and peer; nested objects become dotted keys", () => {
    const req = { method: 'GET', url: '/api/nodes?token=***', host: 'x', remoteAddress: '127.0.0.1', remotePort: 5 };
    assert.match(prettyLine(line({ reqId: 'req-2', req, msg: 'incoming request' }), { color: false }), /INFO {2}incoming request reqId=req-2 method=GET url=\/api\/nodes\?token=\*\*\* ip=127\.0\.0\.1\n$/);
    assert.match(prettyLine(line({ before: { soft: 1024 }, msg: 'open-files' }), { color: false }), / open-files before\.soft=1024\n$/);
  });

  it('levels are named, coloured only when asked', () => {
    const names: Array<[number, string]> = [[10, 'TRACE'], [20, 'DEBUG'], [30, 'INFO '], [40, 'WARN '], [50, 'ERROR'], [60, 'FATAL']];
    for (const [level, name] of names) {
      const plain = prettyLine(line({ level, msg: 'm' }), { color: false });
      assert.ok(plain.includes(` ${name} m`), plain);
      assert.ok(!plain.includes('\x1b'));
      assert.match(prettyLine(line({ level, msg: 'm' }), { color: true }), new RegExp(`\\x1b\\[\\d+m${name}\\x1b\\[0m m`));
    }
  });

  it('an error shows its message as err=…, and its stack (bounded) only at error level', () => {
    const stack = ['Error: disk full', ...Array.from({ length: 20 }, (_, i) => `    at frame${i} (file.ts:${i})`)].join('\n');
    const err = { type: 'Error', message: 'disk full', stack };
    const error = prettyLine(line({ level: 50, err, msg: 'flush failed' }), { color: false });
    const rows = error.split('\n');
    assert.match(rows[0]!, /ERROR flush failed err="disk full"$/);
    assert.equal(rows[1], '    at frame0 (file.ts:0)');
    assert.equal(rows.filter((r) => r.startsWith('    at ')).length, logLimits.pretty.maxStackLines);
    assert.equal(rows[logLimits.pretty.maxStackLines + 1], `    … ${20 - logLimits.pretty.maxStackLines} more`);
    assert.equal(prettyLine(line({ level: 40, err, msg: 'retrying' }), { color: false }).split('\n').length, 2, 'a warning is one line');
  });

  it('values with spaces or quotes are quoted, long values and extra fields are cut', () => {
    const out = prettyLine(line({ msg: 'm', a: 'two words', b: 'x'.repeat(500), c: 3, d: true, e: '' }), { color: false });
    assert.ok(out.includes(' a="two words"'));
    assert.ok(out.includes(` b=${'x'.repeat(logLimits.pretty.maxValueChars)}… c=3 d=true e=""`));
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    assert.match(prettyLine(line({ msg: 'm', ...many }), { color: false }), new RegExp(` k${logLimits.pretty.maxFields - 1}=\\d+ \\+${12 - logLimits.pretty.maxFields}\\n$`));
  });

  it("control characters (an agent's stderr, a URL) are shown escaped, never sent to the terminal", () => {
    const out = prettyLine(line({ msg: 'local agent: \x1b[2Jcleared\x07', url: '/x\x1b]0;title\x07', c1: 'a\u009bb' }), { color: false });
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(out), JSON.stringify(out)); // eslint-disable-line no-control-regex
    assert.ok(out.includes('local agent: \\u001b[2Jcleared\\u0007'));
    assert.ok(out.includes('c1="a\\u009bb"'));
  });

  it('a line that is not a JSON object is passed on as it came', () => {
    assert.equal(prettyLine('not json\n', { color: false }), 'not json\n');
    assert.equal(prettyLine('[1,2]\n', { color: false }), '[1,2]\n');
  });
});

describe('choosing the log format', () => {
  it('KOMARI_LOG_FORMAT wins; unset, a terminal gets pretty lines and anything else JSON', () => {
    assert.equal(chooseLogFormat(undefined, true), 'pretty');
    assert.equal(chooseLogFormat(undefined, false), 'json');
    assert.equal(chooseLogFormat('json', true), 'json');
    assert.equal(chooseLogFormat('pretty', false), 'pretty');
  });

  it('KOMARI_LOG_FORMAT is read case-insensitively, empty is unset, and a bad value is refused naming it', () => {
    assert.equal(loadBootConfig({}, {}).logFormat, undefined);
    assert.equal(loadBootConfig({}, { KOMARI_LOG_FORMAT: '' }).logFormat, undefined);
    assert.equal(loadBootConfig({}, { KOMARI_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.equal(loadBootConfig({}, { KOMARI_LOG_FORMAT: 'JSON' }).logFormat, 'json');
    for (const bad of ['fancy', 'text', 'pretty,json', '1']) {
      assert.throws(() => loadBootConfig({}, { KOMARI_LOG_FORMAT: bad }), /KOMARI_LOG_FORMAT: must be pretty or json/);
    }
  });

  it('NO_COLOR turns the colours off', () => {
    assert.equal(loadBootConfig({}, {}).logColor, true);
    assert.equal(loadBootConfig({}, { NO_COLOR: '1' }).logColor, false);
  });

  it("the server's logger writes what was chosen: pretty (coloured) on a terminal, JSON elsewhere, the override either way", async () => {
    const cases = [
      { out: new TtyCapture(), format: undefined, color: true, pretty: true, colored: true },
      { out: new TtyCapture(), format: undefined, color: false, pretty: true, colored: false },
      { out: new TtyCapture(), format: 'json' as const, color: true, pretty: false, colored: false },
      { out: new LogCapture(), format: undefined, color: true, pretty: false, colored: false },
      { out: new LogCapture(), format: 'pretty' as const, color: true, pretty: true, colored: false },
    ];
    for (const c of cases) {
      const app = Fastify({ logger: loggerOptions({ level: 'info', format: c.format, color: c.color }, c.out) });
      app.log.info({ node: 'n1' }, 'hello');
      await app.close();
      const first = c.out.lines[0]!;
      if (c.pretty) assert.match(first, new RegExp(`${head.source}(\\x1b\\[32m)?INFO {1,2}(\\x1b\\[0m )?hello node=n1$`));
      else assert.equal(JSON.parse(first).msg, 'hello');
      assert.equal(first.includes('\x1b'), c.colored, JSON.stringify(c));
    }
  });
});

describe('the start banner', () => {
  const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
  const interfaces = {
    lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
    eth0: [iface('192.168.1.7', 'IPv4'), iface('fe80::1', 'IPv6'), iface('2001:db8::7', 'IPv6')],
  };
  const addr = (address: string, family: string): AddressInfo => ({ address, family, port: 25774 });

  it('lists loopback and the network addresses for a server on every address, and only the bound one otherwise', () => {
    assert.deepEqual(bannerUrls(addr('0.0.0.0', 'IPv4'), '', interfaces), ['http://127.0.0.1:25774/', 'http://192.168.1.7:25774/']);
    assert.deepEqual(bannerUrls(addr('::', 'IPv6'), '', interfaces), ['http://127.0.0.1:25774/', 'http://192.168.1.7:25774/', 'http://[2001:db8::7]:25774/']);
    assert.deepEqual(bannerUrls(addr('10.0.0.5', 'IPv4'), '', interfaces), ['http://10.0.0.5:25774/']);
    assert.deepEqual(bannerUrls(addr('::1', 'IPv6'), '', interfaces), ['http://[::1]:25774/']);
  });

  it('KOMARI_PUBLIC_URL comes first; at most maxNetworkUrls network addresses', () => {
    assert.deepEqual(bannerUrls(addr('127.0.0.1', 'IPv4'), 'https://status.example.com', {}), ['https://status.example.com/', 'http://127.0.0.1:25774/']);
    const many = { eth: Array.from({ length: 9 }, (_, i) => iface(`10.0.0.${i + 1}`, 'IPv4')) };
    assert.equal(bannerUrls(addr('0.0.0.0', 'IPv4'), '', many).length, 1 + logLimits.banner.maxNetworkUrls);
  });

  it("names where to open the server and the admin panel; a made-up password in Komari's sentence, ADMIN_PASSWORD's never", () => {
    const urls = ['http://127.0.0.1:25774/', 'http://192.168.1.7:25774/'];
    const first = bannerText(urls, { username: 'admin', generatedPassword: 'Ab3dEf6hIj9k' });
    assert.ok(first.includes(`${bannerTitle}\n  Open    http://127.0.0.1:25774/\n          http://192.168.1.7:25774/\n  Admin   http://127.0.0.1:25774/admin\n`));
    assert.match(first, /^Default admin account created\. Username: admin , Password: Ab3dEf6hIj9k$/m);
    const given = bannerText(urls, { username: 'root' });
    assert.match(given, /Admin account created: root, with the password of ADMIN_PASSWORD\./);
    assert.doesNotMatch(given, /Password:/);
    const again = bannerText(urls);
    assert.doesNotMatch(again, /account created/i);
    assert.ok(again.includes('  Admin   http://127.0.0.1:25774/admin'));
  });
});
