import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bannerTitle } from '../src/logging/banner.ts';
import { eventually } from './helpers/agent-common.ts';
import { cliPath, runCli, spawnCliServer, type CliServer } from './helpers/cli.ts';
import { http, sessionCookieOf } from './helpers/server.ts';
import { scriptBin, spawnOnTty } from './helpers/tty.ts';

const passwordLine = /^Default admin account created\. Username: admin , Password: ([0-9A-Za-z]{12})$/m;
const startTimeoutMs = 60_000;

/** The lines pino wrote (JSON objects), as opposed to the banner. */
const jsonLines = (out: string) => out.split('\n').filter((l) => l.startsWith('{'));

describe('komari server: the start banner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-banner-'));
  const db = join(dir, 'data', 'komari.db');
  let server: CliServer | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a first start ends with the address and the made-up admin password, printed once and in no log line', async () => {
    server = await spawnCliServer(db, { KOMARI_LOG_LEVEL: 'info' }, undefined, startTimeoutMs);
    const out = server.stdout();
    assert.ok(out.includes(`${bannerTitle}\n  Open    ${server.url}/\n  Admin   ${server.url}/admin\n`), out);
    const password = passwordLine.exec(out)?.[1];
    assert.ok(password, out);
    const login = await http(server.url, '/api/login', { method: 'POST', body: { username: 'admin', password } });
    assert.equal(login.status, 200);
    assert.ok(sessionCookieOf(login.headers));
    await http(server.url, '/api/version?sentinel=first');
    await eventually(() => server!.stdout().includes('sentinel=first'), 10_000);

    const all = server.stdout();
    const logged = jsonLines(all);
    assert.ok(logged.length > 0, 'stdout is not a terminal: the log lines are JSON');
    for (const l of logged) {
      assert.equal(typeof JSON.parse(l).level, 'number', l);
      assert.ok(!l.includes(password), `the password is in a log line: ${l}`);
    }
    assert.equal(all.split(password).length - 1, 1, 'the password is printed once');
    assert.ok(!server.stderr().includes(password));
  });

  it('a second start on the same database prints the banner without any password', async () => {
    const { code } = await server!.stop();
    assert.equal(code, 0);
    server = await spawnCliServer(db, { KOMARI_LOG_LEVEL: 'info' }, undefined, startTimeoutMs);
    const out = server.stdout();
    assert.ok(out.includes(`${bannerTitle}\n  Open    ${server.url}/\n`), out);
    assert.doesNotMatch(out, /Password:|account created/);
  });

  it('a bad KOMARI_LOG_FORMAT is refused at start, naming it, before anything is created', async () => {
    const refused = join(dir, 'refused', 'komari.db');
    const res = await runCli(['server'], { KOMARI_DB: refused, KOMARI_LISTEN: '127.0.0.1:0', KOMARI_LOG_FORMAT: 'fancy' }, startTimeoutMs);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /KOMARI_LOG_FORMAT: must be pretty or json/);
    assert.doesNotMatch(res.stdout, new RegExp(bannerTitle));
    assert.equal(existsSync(refused), false);
  });
});

describe('komari server on a terminal', { skip: scriptBin ? false : 'util-linux `script` is missing (apt-get install bsdutils)' }, () => {
  it('writes pretty, coloured log lines and no JSON; the banner has the address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-tty-'));
    const tty = spawnOnTty([process.execPath, cliPath, 'server'], {
      KOMARI_DB: join(dir, 'komari.db'),
      KOMARI_LISTEN: '127.0.0.1:0',
      KOMARI_LOG_LEVEL: 'info',
      NO_COLOR: undefined,
    });
    try {
      await eventually(() => tty.output().includes(`${bannerTitle}\n`), startTimeoutMs);
      const url = /^ {2}Open {4}(http:\/\/127\.0\.0\.1:\d+)\/$/m.exec(tty.output())?.[1];
      assert.ok(url, tty.output());
      await http(url, '/api/version?sentinel=tty');
      await eventually(() => tty.output().includes('sentinel=tty'), 10_000);
      const lines = tty.output().split('\n');
      const request = lines.find((l) => l.includes('url=/api/version?sentinel=tty'));
      // eslint-disable-next-line no-control-regex
      assert.match(request ?? '', /^\d{2}:\d{2}:\d{2}\.\d{3} \x1b\[32mINFO \x1b\[0m incoming request reqId=\S+ method=GET url=\/api\/version\?sentinel=tty ip=127\.0\.0\.1$/);
      assert.ok(!lines.some((l) => l.startsWith('{')), 'no JSON line on a terminal');
      assert.match(tty.output(), passwordLine, 'the first start prints its password on a terminal too');
    } finally {
      assert.equal(await tty.stop(), 0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
