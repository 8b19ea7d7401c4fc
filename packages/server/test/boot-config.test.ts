import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadBootConfig, splitListen } from '../src/config/boot-config.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function throwsNaming(env: Record<string, string>, setting: RegExp): void {
  assert.throws(() => loadBootConfig({}, env), (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.match(err.message, setting);
    return true;
  });
}

describe('boot config', () => {
  it('defaults to listen 0.0.0.0:25774 and db ./data/komari.db', () => {
    const c = loadBootConfig({}, {});
    assert.equal(c.listen, '0.0.0.0:25774');
    assert.equal(c.db, './data/komari.db');
    assert.deepEqual(c.trustedProxies, []);
    assert.equal(c.publicUrl, '');
    assert.equal(c.wsDisableOrigin, false);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.adminUsername, undefined);
    assert.equal(c.adminPassword, undefined);
  });

  it('reads KOMARI_LISTEN and KOMARI_DB from the environment', () => {
    const c = loadBootConfig({}, { KOMARI_LISTEN: '127.0.0.1:8080', KOMARI_DB: '/tmp/x.db' });
    assert.equal(c.listen, '127.0.0.1:8080');
    assert.equal(c.db, '/tmp/x.db');
  });

  it('flags win over the environment', () => {
    const c = loadBootConfig({ listen: '0.0.0.0:9', db: 'flag.db' }, { KOMARI_LISTEN: '127.0.0.1:8080', KOMARI_DB: 'env.db' });
    assert.equal(c.listen, '0.0.0.0:9');
    assert.equal(c.db, 'flag.db');
  });

  it('KOMARI_TRUSTED_PROXIES is a comma list, trimmed, empties dropped', () => {
    const c = loadBootConfig({}, { KOMARI_TRUSTED_PROXIES: ' 10.0.0.1, 192.168.0.0/16,,127.0.0.1 ' });
    assert.deepEqual(c.trustedProxies, ['10.0.0.1', '192.168.0.0/16', '127.0.0.1']);
  });

  it('reads the remaining KOMARI_* settings and the admin credentials', () => {
    const c = loadBootConfig({}, {
      KOMARI_PUBLIC_URL: 'https://status.example.com',
      KOMARI_WS_DISABLE_ORIGIN: 'true',
      KOMARI_LOG_LEVEL: 'warn',
      KOMARI_BODY_LIMIT: '2048',
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'pw-123456',
    });
    assert.equal(c.publicUrl, 'https://status.example.com');
    assert.equal(c.wsDisableOrigin, true);
    assert.equal(c.logLevel, 'warn');
    assert.equal(c.bodyLimit, 2048);
    assert.equal(c.adminUsername, 'root');
    assert.equal(c.adminPassword, 'pw-123456');
  });

  it('listen addresses with IPv6 and an empty host are accepted and split', () => {
    assert.deepEqual(splitListen(loadBootConfig({}, { KOMARI_LISTEN: '[::1]:25774' }).listen), { host: '::1', port: 25774 });
    assert.deepEqual(splitListen(loadBootConfig({}, { KOMARI_LISTEN: ':8080' }).listen), { host: '0.0.0.0', port: 8080 });
  });

  it('a bad --listen flag is reported too', () => {
    assert.throws(() => loadBootConfig({ listen: 'nonsense' }, {}), /--listen/);
  });

  it('a bad KOMARI_LISTEN throws an error naming KOMARI_LISTEN', () => {
    throwsNaming({ KOMARI_LISTEN: 'nonsense' }, /KOMARI_LISTEN.*host:port/);
    throwsNaming({ KOMARI_LISTEN: '127.0.0.1' }, /KOMARI_LISTEN/);
  });

  it('a KOMARI_LISTEN port above 65535 is refused at load time', () => {
    throwsNaming({ KOMARI_LISTEN: '0.0.0.0:99999' }, /KOMARI_LISTEN/);
  });

  it('a bad KOMARI_PUBLIC_URL throws an error naming KOMARI_PUBLIC_URL', () => {
    throwsNaming({ KOMARI_PUBLIC_URL: 'not a url' }, /KOMARI_PUBLIC_URL/);
  });

  it('KOMARI_PUBLIC_URL must be http or https (it becomes OAuth callback URLs)', () => {
    throwsNaming({ KOMARI_PUBLIC_URL: 'javascript:alert(1)' }, /KOMARI_PUBLIC_URL/);
    throwsNaming({ KOMARI_PUBLIC_URL: 'ftp://status.example.com' }, /KOMARI_PUBLIC_URL/);
  });

  it('a bad KOMARI_LOG_LEVEL throws an error naming KOMARI_LOG_LEVEL', () => {
    throwsNaming({ KOMARI_LOG_LEVEL: 'loud' }, /KOMARI_LOG_LEVEL/);
  });

  it('a bad KOMARI_BODY_LIMIT throws an error naming KOMARI_BODY_LIMIT', () => {
    throwsNaming({ KOMARI_BODY_LIMIT: 'lots' }, /KOMARI_BODY_LIMIT/);
    throwsNaming({ KOMARI_BODY_LIMIT: '-1' }, /KOMARI_BODY_LIMIT/);
  });

  it('every bad setting is reported at once', () => {
    throwsNaming({ KOMARI_LISTEN: 'nonsense', KOMARI_LOG_LEVEL: 'loud' }, /KOMARI_LISTEN[\s\S]*KOMARI_LOG_LEVEL/);
  });
});

describe('CLI start-up', () => {
  it('komari server with KOMARI_LISTEN=nonsense exits non-zero with a message naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-cli-'));
    try {
      const child = spawn(process.execPath, [cli, 'server'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', KOMARI_LISTEN: 'nonsense', KOMARI_DB: join(dir, 'k.db'), KOMARI_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearTimeout(timer);
      assert.notEqual(code, 0, output);
      assert.notEqual(code, null, 'the CLI exited by itself');
      assert.match(output, /KOMARI_LISTEN/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
