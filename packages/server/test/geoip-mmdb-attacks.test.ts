import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CountryDb } from '../src/geoip/country-db.ts';
import { countryRecord, metadata, mmdbFile, pointer, pointerBomb, u32 } from './helpers/mmdb.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

/*
 * Hand-made .mmdb files against POST /api/admin/update/mmdb. mmdb-lib follows pointers without
 * sharing what it decoded: a 10-level chain of arrays of 28 pointers each (under 2 KB) decodes
 * into 28^10 values, and before the bound the upload (and, in the metadata, even opening the
 * file) never answered.
 */

const good = countryRecord('US');

async function upload(s: TestServer, cookie: string, body: Buffer) {
  const res = await fetch(`${s.url}/api/admin/update/mmdb`, {
    method: 'POST',
    headers: { cookie: `session_token=${cookie}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
  return { status: res.status, json: (await res.json()) as { status: string; message: string } };
}

describe('POST /api/admin/update/mmdb with hostile files', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { geoip: { maxRecordPointers: 50 } } }));
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { geo_ip_enabled: true, geo_ip_provider: 'mmdb' } });
  });
  after(() => s.dispose());

  const refusedAndUnchanged = async (file: Buffer, message: RegExp) => {
    const res = await upload(s, cookie, file);
    assert.equal(res.status, 400, JSON.stringify(res.json));
    assert.match(res.json.message, message);
    assert.equal(existsSync(join(s.dir, 'geoip', 'country.mmdb')), false);
    // The server still answers, from the database it had.
    const probe = await http(s.url, '/api/admin/test/geoip?ip=8.8.8.8', { cookie });
    assert.equal(probe.status, 200, probe.text);
  };

  it('the helper makes files mmdb-lib reads: a plain one is accepted', () => {
    assert.deepEqual(CountryDb.open(mmdbFile({ low: 0, high: 0, data: good })).lookup('8.8.8.8'), { ISOCode: 'US', Name: 'United States' });
  });

  it('a pointer bomb in the metadata is refused at once', async () => {
    const base = metadata({ description: pointer(0) }).length; // a pointer is 2 bytes whatever its value
    const bomb = pointerBomb(base, 10, 28);
    const meta = Buffer.concat([metadata({ description: pointer(bomb.root) }), bomb.bytes]);
    await refusedAndUnchanged(mmdbFile({ low: 0, high: 0, data: good, meta }), /^Failed to update GeoIP database: not a MaxMind DB file \(a record follows more than 50 pointers\)$/);
  });

  it('a pointer bomb as the record of every probe decodes shared (linear) and is refused as holding no country', () => {
    // With the default bound (10,000 pointers) the 280 shared follows pass: 28^10 are never made.
    const bomb = pointerBomb(0, 10, 28);
    assert.throws(() => CountryDb.open(mmdbFile({ low: bomb.root, high: bomb.root, data: bomb.bytes })), /holds no country for any well-known address/);
  });

  it('a record past the bound anywhere a probe lands refuses the whole file, even with countries elsewhere', async () => {
    const bomb = pointerBomb(good.length, 3, 28); // 84 pointers followed even when shared
    await refusedAndUnchanged(mmdbFile({ low: 0, high: bomb.root, data: Buffer.concat([good, bomb.bytes]) }), /a record follows more than 50 pointers/);
  });

  it('a pointer to itself is refused, not a crash', async () => {
    await refusedAndUnchanged(mmdbFile({ low: 0, high: 0, data: pointer(0) }), /^Failed to update GeoIP database: /);
  });

  it('metadata claiming 4 billion tree nodes, or a truncated tree, is refused', async () => {
    await refusedAndUnchanged(mmdbFile({ low: 0, high: 0, data: good, meta: metadata({ node_count: u32(0xffffffff) }) }), /^Failed to update GeoIP database: /);
    const whole = mmdbFile({ low: 0, high: 0, data: good });
    await refusedAndUnchanged(whole.subarray(3), /^Failed to update GeoIP database: /);
  });

  it('after the refusals a good hand-made file is taken', async () => {
    const res = await upload(s, cookie, mmdbFile({ low: 0, high: 0, data: good }));
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(existsSync(join(s.dir, 'geoip', 'country.mmdb')), true);
  });
});
