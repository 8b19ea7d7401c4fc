import assert from 'node:assert/strict';
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { randomBytes } from '../src/wire/random.ts';
import { sha1 } from '../src/wire/sha1.ts';
import { guid } from './helpers/websocket-peers.ts';

describe('wire/sha1 and wire/random', () => {
  it('sha1 matches node:crypto for inputs around the block boundaries', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4097]) {
      const data = cryptoRandomBytes(n);
      const expected = createHash('sha1').update(data).digest('hex');
      assert.equal(Buffer.from(sha1(data)).toString('hex'), expected, `length ${n}`);
    }
  });

  it('sha1 gives the known digests', () => {
    assert.equal(Buffer.from(sha1(new Uint8Array(0))).toString('hex'), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    assert.equal(Buffer.from(sha1(Buffer.from('abc'))).toString('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    // RFC 6455 §1.3's example handshake
    assert.equal(Buffer.from(sha1(Buffer.from('dGhlIHNhbXBsZSBub25jZQ==' + guid))).toString('base64'), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('randomBytes gives fresh bytes of the asked length', () => {
    const a = randomBytes(16);
    const b = randomBytes(16);
    assert.equal(a.length, 16);
    assert.equal(b.length, 16);
    assert.notDeepEqual(a, b);
    assert.ok(!a.equals(Buffer.alloc(16)), 'not all zeros');
  });

  it('randomBytes keeps working across pool refills and refuses more than the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) seen.add(randomBytes(16).toString('hex')); // ~2.3 pools
    assert.equal(seen.size, 600);
    assert.equal(randomBytes(4096).length, 4096);
    assert.throws(() => randomBytes(4097), RangeError);
  });
});
