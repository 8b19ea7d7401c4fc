import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cutUtf8 } from '../src/util/utf8-cut.ts';

describe('cutting a text to a number of UTF-8 bytes', () => {
  it('cuts on a character boundary, never inside a multi-byte character or a surrogate pair', () => {
    assert.equal(cutUtf8('a'.repeat(10), 5), 'aaaaa');
    assert.equal(cutUtf8('ab日本語', 7), 'ab日');
    assert.equal(cutUtf8('ab日本語', 8), 'ab日本');
    assert.equal(cutUtf8('ab😀c', 5), 'ab');
    assert.equal(cutUtf8('ab😀c', 6), 'ab😀');
    assert.equal(cutUtf8('é'.repeat(3000), 4095), 'é'.repeat(2047));
  });

  it('gives back a text within the bound as it is', () => {
    const text = '日'.repeat(1365);
    assert.equal(cutUtf8(text, 4096), text);
    assert.equal(cutUtf8('', 4096), '');
  });

  it('a cut of a 1 MiB text does not keep the megabyte alive', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const body = Buffer.alloc(1024 * 1024, 'x');
    // each a fresh flat 1 MiB string, as JSON.parse gives a frame's message
    const received = (i: number) => JSON.parse(`"${i}${body.toString('latin1')}"`) as string;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: 32 }, (_, i) => cutUtf8(received(i), 4096));
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.equal(kept.length, 32);
    assert.ok(grown < 4 * 1024 * 1024, `32 cuts of 4 KiB hold ${(grown / 1024 / 1024).toFixed(1)} MiB`);
  });
});
