import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { HttpClient } from '../src/transport/http-client.ts';
import { fromHostsFile, resolveHost } from '../src/wire/resolve.ts';

describe('wire/resolve: server names as the official agent resolves them', () => {
  const hosts = [
    '# comment line',
    '127.0.0.1   localhost',
    '::1         localhost ip6-localhost',
    '10.0.0.5    Panel.Example.COM panel   # trailing comment',
    'fd00::5     panel.example.com',
    'not-an-ip   broken.example',
  ].join('\n');

  it('reads a hosts file: IPv4 first, IPv6 first with family 6, names case-insensitive', () => {
    assert.equal(fromHostsFile(hosts, 'localhost'), '127.0.0.1');
    assert.equal(fromHostsFile(hosts, 'localhost', 6), '::1');
    assert.equal(fromHostsFile(hosts, 'panel.example.com'), '10.0.0.5');
    assert.equal(fromHostsFile(hosts, 'PANEL'), '10.0.0.5');
    assert.equal(fromHostsFile(hosts, 'panel.example.com', 6), 'fd00::5');
    assert.equal(fromHostsFile(hosts, 'ip6-localhost'), '::1', 'only an IPv6 entry: used even without family 6');
    assert.equal(fromHostsFile(hosts, 'broken.example'), undefined);
    assert.equal(fromHostsFile(hosts, 'comment'), undefined);
    assert.equal(fromHostsFile(hosts, 'absent.example'), undefined);
  });

  it('keeps IP literals as they are and finds localhost in /etc/hosts', async () => {
    assert.equal(await resolveHost('192.0.2.1'), '192.0.2.1');
    assert.equal(await resolveHost('::1'), '::1');
    const local = await resolveHost('localhost');
    assert.ok(local === '127.0.0.1' || local === '::1', local);
  });

  it('rejects a name nobody knows (the .invalid TLD never resolves)', async () => {
    await assert.rejects(resolveHost('komari-ts-test.invalid'), /ENOTFOUND|ENODATA|not found/i);
  });

  it('the POST client reaches a server given by name', async () => {
    // listening where this host's localhost points (127.0.0.1, or ::1 on an IPv6-only one)
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"ok":true}'));
    }).listen(0, await resolveHost('localhost'));
    await once(server, 'listening');
    const client = new HttpClient(false);
    try {
      const answer = await client.post(`http://localhost:${(server.address() as AddressInfo).port}/x`, { a: 1 }, { timeoutMs: 5000 });
      assert.equal(answer.status, 200);
      assert.equal(answer.text, '{"ok":true}');
    } finally {
      client.close();
      server.close();
    }
  });
});
