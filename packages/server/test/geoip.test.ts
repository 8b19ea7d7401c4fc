import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundledDbPath } from '../src/geoip/geoip-service.ts';
import { checkAddress } from '../src/geoip/address.ts';
import { CountryDb } from '../src/geoip/country-db.ts';
import { flagOf } from '../src/geoip/country.ts';
import { addNode } from './helpers/agent-common.ts';
import { http, rpc, startTestServer, startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const ipv4Only = join(bundledDbPath, '..', 'geo-whois-asn-country-ipv4.mmdb');

async function upload(s: TestServer, cookie: string, body: Buffer): Promise<{ status: number; json: any }> {
  const res = await fetch(`${s.url}/api/admin/update/mmdb`, {
    method: 'POST',
    headers: { cookie: `session_token=${cookie}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
  return { status: res.status, json: await res.json() };
}

async function basicInfo(s: TestServer, token: string, info: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await http(s.url, `/api/clients/uploadBasicInfo?token=${token}`, { method: 'POST', body: info, headers });
  assert.equal(res.status, 200, res.text);
}

async function regionOf(s: TestServer, cookie: string, uuid: string): Promise<string> {
  return (await http(s.url, `/api/admin/client/${uuid}`, { cookie })).json.region;
}

describe('GeoIP from the offline database', () => {
  it('the resolver: flags, reserved and malformed addresses, both families', () => {
    const db = CountryDb.open(readFileSync(bundledDbPath));
    assert.deepEqual(db.lookup('8.8.8.8'), { ISOCode: 'US', Name: 'United States' });
    assert.deepEqual(db.lookup('2001:4860:4860::8888'), { ISOCode: 'US', Name: 'United States' });
    assert.equal(db.lookup('223.5.5.5')?.ISOCode, 'CN');
    assert.equal(flagOf('SG'), '🇸🇬');
    assert.equal(flagOf('us'), '🇺🇸');
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '172.20.0.1', '100.64.1.1', '::1', 'fe80::1', 'fd00::5', '::ffff:127.0.0.1']) {
      assert.deepEqual(checkAddress(ip), { ok: false, reason: 'reserved' }, ip);
    }
    for (const ip of ['', 'localhost', '1.2.3', '999.1.1.1', '8.8.8.8/24', 'x'.repeat(5000)]) {
      assert.deepEqual(checkAddress(ip), { ok: false, reason: 'invalid' }, ip);
    }
    assert.deepEqual(checkAddress(' ::ffff:8.8.8.8 '), { ok: true, ip: '8.8.8.8', family: 'ipv4' });
    assert.throws(() => CountryDb.open(Buffer.from('not a database')), /not a MaxMind DB file/);
  });

  describe('over HTTP and RPC', () => {
    let s: TestServer;
    let cookie: string;
    before(async () => ({ s, cookie } = await startWithAdmin({ limits: { geoip: { maxUploadBytes: 4 * 1024 * 1024 } } })));
    after(() => s.dispose());

    it('GET /api/admin/test/geoip answers Komari\'s shape; admin:testGeoip the same', async () => {
      const res = await http(s.url, '/api/admin/test/geoip?ip=8.8.8.8', { cookie });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'success', message: '', data: { ISOCode: 'US', Name: 'United States' } });
      const r = await rpc(s.url, 'admin:testGeoip', { ip: '1.1.1.1' }, { cookie });
      assert.deepEqual(r.result, { ISOCode: 'AU', Name: 'Australia' });
      assert.deepEqual((await rpc(s.url, 'admin:testGeoip', ['223.5.5.5'], { cookie })).result, { ISOCode: 'CN', Name: 'China' });
    });

    it("without ip the caller's address is looked up: 127.0.0.1 is refused as reserved", async () => {
      const res = await http(s.url, '/api/admin/test/geoip', { cookie });
      assert.deepEqual([res.status, res.json], [400, { status: 'error', message: '127.0.0.1 is a private or reserved address: it has no country' }]);
    });

    it('a malformed or wrongly typed ip is refused with a clear 400', async () => {
      const res = await http(s.url, `/api/admin/test/geoip?ip=${'9'.repeat(300)}`, { cookie });
      assert.equal(res.status, 400);
      assert.equal(res.json.message, `Invalid IP address: ${'9'.repeat(64)}`);
      const r = await rpc(s.url, 'admin:testGeoip', { ip: 8 }, { cookie });
      assert.equal(r.error?.code, -32602);
    });

    it('off (geo_ip_enabled false, or a provider that is not one of Komari\'s) → 400 with Komari\'s text', async () => {
      for (const change of [{ geo_ip_enabled: false }, { geo_ip_provider: 'empty' }]) {
        await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: change });
        const res = await http(s.url, '/api/admin/test/geoip?ip=8.8.8.8', { cookie });
        assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'GeoIP is not enabled in the configuration.' }]);
        await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { geo_ip_enabled: true, geo_ip_provider: 'ipinfo' } });
      }
      for (const provider of ['ipinfo', 'ip-api', 'geojs', 'mmdb']) {
        await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { geo_ip_provider: provider } });
        assert.equal((await http(s.url, '/api/admin/test/geoip?ip=8.8.8.8', { cookie })).status, 200, provider);
      }
    });

    it('basic info fills an empty region with the flag of ipv4, else ipv6; a set region is kept', async () => {
      const a = await addNode(s, cookie, 'a');
      await basicInfo(s, a.token, { ipv4: '1.1.1.1', ipv6: '2001:4860:4860::8888' });
      assert.equal(await regionOf(s, cookie, a.uuid), '🇦🇺');
      await basicInfo(s, a.token, { ipv4: '8.8.8.8' });
      assert.equal(await regionOf(s, cookie, a.uuid), '🇦🇺', 'a region once set stays');

      const b = await addNode(s, cookie, 'b');
      await basicInfo(s, b.token, { ipv4: '10.0.0.1', ipv6: '2001:4860:4860::8888' });
      assert.equal(await regionOf(s, cookie, b.uuid), '🇺🇸');

      const c = await addNode(s, cookie, 'c');
      await basicInfo(s, c.token, { ipv4: '8.8.8.8', region: '🇯🇵' });
      assert.equal(await regionOf(s, cookie, c.uuid), '🇯🇵', "the agent's own region wins");

      const d = await addNode(s, cookie, 'd');
      await basicInfo(s, d.token, { ipv4: '', ipv6: '' });
      assert.equal(await regionOf(s, cookie, d.uuid), '', 'the v1 fallback address 127.0.0.1 has no country');

      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { geo_ip_enabled: false } });
      const e = await addNode(s, cookie, 'e');
      await basicInfo(s, e.token, { ipv4: '8.8.8.8' });
      assert.equal(await regionOf(s, cookie, e.uuid), '', 'GeoIP off: no lookup');
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { geo_ip_enabled: true } });
    });

    it('POST /api/admin/update/mmdb refuses a file that is not a country database and changes nothing', async () => {
      for (const bad of [Buffer.from('garbage'.repeat(100)), readFileSync(bundledDbPath).subarray(0, 100_000)]) {
        const res = await upload(s, cookie, bad);
        assert.equal(res.status, 400);
        assert.match(res.json.message, /^Failed to update GeoIP database: /);
      }
      assert.equal(existsSync(join(s.dir, 'geoip', 'country.mmdb')), false);
      assert.equal((await http(s.url, '/api/admin/test/geoip?ip=2001:4860:4860::8888', { cookie })).status, 200);
    });

    it('a body over limits.geoip.maxUploadBytes → 413, nothing replaced', async () => {
      const res = await upload(s, cookie, Buffer.alloc(4 * 1024 * 1024 + 1));
      assert.deepEqual([res.status, res.json], [413, { status: 'error', message: 'File too large. Maximum size is 4MB' }]);
      assert.equal(existsSync(join(s.dir, 'geoip', 'country.mmdb')), false);
    });

    it('a valid upload replaces the database (kept in data/geoip), is audited, and an empty body goes back to the bundled one', async () => {
      const file = readFileSync(ipv4Only);
      // The IPv4-only file is ~3 MB: within this server's 4 MB limit.
      const res = await upload(s, cookie, file);
      assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '' }]);
      assert.deepEqual(readFileSync(join(s.dir, 'geoip', 'country.mmdb')), file);
      const v6 = await http(s.url, '/api/admin/test/geoip?ip=2001:4860:4860::8888', { cookie });
      assert.deepEqual([v6.status, v6.json.message], [500, 'No country found for 2001:4860:4860::8888'], 'the IPv4-only file now answers');
      const logs = await http(s.url, '/api/admin/logs?limit=50&page=1', { cookie });
      assert.ok(JSON.stringify(logs.json).includes('GeoIP database updated'));

      const back = await upload(s, cookie, Buffer.alloc(0));
      assert.equal(back.status, 200);
      assert.equal(existsSync(join(s.dir, 'geoip', 'country.mmdb')), false);
      assert.equal((await http(s.url, '/api/admin/test/geoip?ip=2001:4860:4860::8888', { cookie })).status, 200);
    });
  });

  it('an uploaded database is used again after a restart', async () => {
    const first = await startTestServer({ limits: { geoip: { maxUploadBytes: 4 * 1024 * 1024 } } });
    const cookie = await first.login();
    assert.equal((await upload(first, cookie, readFileSync(ipv4Only))).status, 200);
    await first.stop();
    const again = await startTestServer({ dir: first.dir });
    try {
      const c = await again.login();
      assert.equal((await http(again.url, '/api/admin/test/geoip?ip=2001:4860:4860::8888', { cookie: c })).status, 500);
      assert.equal((await http(again.url, '/api/admin/test/geoip?ip=8.8.8.8', { cookie: c })).status, 200);
    } finally {
      await again.dispose();
    }
  });

  it('behind a trusted proxy the forwarded address fills the region (v1 fallback when the agent sent none)', async () => {
    const { s, cookie } = await startWithAdmin({ env: { KOMARI_TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const n = await addNode(s, cookie, 'proxied');
      await basicInfo(s, n.token, { cpu_name: 'x' }, { 'x-forwarded-for': '8.8.8.8' });
      const node = (await http(s.url, `/api/admin/client/${n.uuid}`, { cookie })).json;
      assert.deepEqual([node.ipv4, node.region], ['8.8.8.8', '🇺🇸']);
    } finally {
      await s.dispose();
    }
  });
});
