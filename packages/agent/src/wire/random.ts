import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Unpredictable bytes from the kernel, for WebSocket keys and masks (RFC 6455 §5.3 asks for a
 * strong source). Read from /dev/urandom in 4 KiB batches instead of through node:crypto, which
 * costs the agent ~3.5 MiB of RSS (BENCHMARKS.md, Agent).
 */
const pool = Buffer.alloc(4096);
let used = pool.length;

function refill(): void {
  const fd = openSync('/dev/urandom', 'r');
  try {
    let got = 0;
    while (got < pool.length) got += readSync(fd, pool, got, pool.length - got, null);
  } finally {
    closeSync(fd);
  }
  used = 0;
}

export function randomBytes(n: number): Buffer {
  if (n > pool.length) throw new RangeError(`at most ${pool.length} random bytes at a time`);
  if (used + n > pool.length) refill();
  const out = Buffer.from(pool.subarray(used, used + n));
  used += n;
  return out;
}
