import { readFileSync, statSync } from 'node:fs';

/** `1: POSIX  ADVISORY  READ 9434 fe:00:2147714 1073741826 1073742335` (a waiter has `->` after the id) */
const lockLine = /^\d+:\s+(?:->\s+)?\S+\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/;

/**
 * The processes other than this one holding a lock on the SQLite file `path`: a server has one
 * for as long as it has the database open (WAL mode keeps a shared lock), so this tells a running
 * server from a stopped one. Linux only (read from /proc/locks); elsewhere, or for a file that
 * does not exist, none.
 */
export function processesHolding(path: string): number[] {
  let locks: string;
  let st: { dev: bigint; ino: bigint };
  try {
    st = statSync(path, { bigint: true });
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return [];
  }
  // Linux's dev_t: the major in bits 8-19 (and 32+), the minor in bits 0-7 and 20-31.
  const major = ((st.dev >> 8n) & 0xfffn) | ((st.dev >> 32n) & ~0xfffn);
  const minor = (st.dev & 0xffn) | ((st.dev >> 12n) & ~0xffn);
  const pids = new Set<number>();
  for (const line of locks.split('\n')) {
    const m = lockLine.exec(line);
    if (!m || BigInt(m[4]!) !== st.ino || BigInt(`0x${m[2]}`) !== major || BigInt(`0x${m[3]}`) !== minor) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid) pids.add(pid);
  }
  return [...pids];
}
