import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goDuration } from '../src/terminal/go-duration.ts';

describe('terminal audit duration', () => {
  it("is written as Go's time.Duration.String() writes it, as in Komari's disconnected line", () => {
    const cases: Array<[bigint, string]> = [
      [0n, '0s'],
      [850n, '850ns'],
      [1_500n, '1.5µs'],
      [12_300_000n, '12.3ms'],
      [4_050_000_000n, '4.05s'],
      [62_500_000_000n, '1m2.5s'],
      [60_000_000_000n, '1m0s'],
      [3_603_000_000_000n, '1h0m3s'],
      [3_723_456_789_012n, '1h2m3.456789012s'],
      [-1_000_000_000n, '-1s'],
    ];
    for (const [ns, text] of cases) assert.equal(goDuration(ns), text, String(ns));
  });
});
