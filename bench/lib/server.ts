import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverMallocEnv, serverNodeFlags } from '../../packages/server/src/config/node-flags.ts';
import { Child } from './child.ts';

/** The server's malloc settings (as scripts/start.sh exports them); BENCH_SERVER_MALLOC=- leaves glibc's defaults, to compare. */
const mallocEnv = (): Record<string, string> => (process.env.BENCH_SERVER_MALLOC === '-' ? {} : { ...serverMallocEnv });

/** The server's own flags (as scripts/start.sh runs it); BENCH_SERVER_FLAGS replaces them ("-": none), to compare. */
function serverFlags(): string[] {
  const env = process.env.BENCH_SERVER_FLAGS;
  if (env === undefined) return [...serverNodeFlags];
  return env === '-' ? [] : env.split(' ').filter(Boolean);
}

export interface ServerChild {
  child: Child;
  url: string;
  apiKey: string;
  dir: string;
  db: string;
  /** starts V8's CPU profiler in the server (for the measured window) */
  profileStart(): Promise<void>;
  /** stops it and writes the .cpuprofile (kept in $TMPDIR/komari-bench-profiles); returns its path */
  profileStop(): Promise<string>;
  /** stops the server (flushing history) and removes the temp dir unless kept */
  stop(): Promise<Record<string, number>>;
}

export interface ServerChildOptions {
  /** an existing SQLite file (history bench); a fresh temp file otherwise */
  db?: string;
  /** keep the temp directory (and any profile) */
  keep?: boolean;
  /** more environment for the server (a replica: KOMARI_PG_SCHEMA, KOMARI_CLUSTER, PGAPPNAME, BENCH_API_KEY) */
  env?: Record<string, string>;
}

/**
 * A komari-ts server in a child process (bench/lib/server-child.ts), on 127.0.0.1, port chosen by
 * the OS; `db` may be a postgres:// URL (then the temp directory is its data folder).
 */
export async function startServerChild(o: ServerChildOptions = {}): Promise<ServerChild> {
  const dir = mkdtempSync(join(tmpdir(), 'komari-bench-'));
  const db = o.db ?? join(dir, 'komari.db');
  // profiles outlive the run: they are the evidence BENCHMARKS.md cites
  const keepDir = join(tmpdir(), 'komari-bench-profiles');
  mkdirSync(keepDir, { recursive: true });
  const child = new Child(new URL('./server-child.ts', import.meta.url).pathname, [], { env: { ...mallocEnv(), ...o.env, BENCH_DB: db, BENCH_DIR: dir }, execArgv: serverFlags() });
  const ready = await child.waitFor('ready', 60_000);
  return {
    child,
    url: ready.url as string,
    apiKey: ready.apiKey as string,
    dir,
    db,
    async profileStart() {
      await child.request({ type: 'profile-start' });
    },
    async profileStop() {
      const path = join(keepDir, `server-${Date.now()}.cpuprofile`);
      await child.request({ type: 'profile-stop', path }, 60_000);
      return path;
    },
    async stop() {
      const last = await child.request({ type: 'stop' }, 60_000).catch(() => ({}));
      await child.exit(15_000);
      if (!o.keep) rmSync(dir, { recursive: true, force: true });
      else console.log(`kept ${dir}`);
      return last as Record<string, number>;
    },
  };
}
