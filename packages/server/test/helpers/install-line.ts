import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What the agent install line (`… | sh -s -- …`) printed and how it ended. */
export interface LineResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** PATH for a host: the tools of this one, behind `first` (where `node` is looked up first). */
export function hostPath(first: string): string {
  return `${first}:/usr/local/bin:/usr/bin:/bin`;
}

/** A `node` that is too old: it prints v18 for anything it is asked. Returns its folder. */
export function fakeOldNode(root: string): string {
  const bin = join(root, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'node'), '#!/bin/sh\necho v18.20.4\n');
  chmodSync(join(bin, 'node'), 0o755);
  return bin;
}

/** A `uname` that says this host is `linux` on `machine` (an architecture the server lacks). Returns its folder. */
export function fakeUname(root: string, machine: string): string {
  const bin = join(root, 'fake-uname');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'uname'), `#!/bin/sh\ncase $1 in -m) echo ${machine} ;; *) echo Linux ;; esac\n`);
  chmodSync(join(bin, 'uname'), 0o755);
  return bin;
}

/** The folder of the Node running the tests (24+), to put first on a host's PATH. */
export const thisNodeBin = dirname(process.execPath);

/** A line running: its `sh`, and what it printed once it ends (read all along, so no pipe fills). */
export interface RunningLine {
  child: ChildProcess;
  done: Promise<LineResult>;
}

/**
 * Starts `sh -c <line>` in its own process group (so a foreground agent under it can be
 * stopped with the whole pipeline), with only `env`: nothing of the test's environment leaks in.
 */
export function startLine(line: string, env: Record<string, string>): RunningLine {
  const child = spawn('sh', ['-c', line], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<LineResult>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Runs a line to its end. */
export function runLine(line: string, env: Record<string, string>): Promise<LineResult> {
  return startLine(line, env).done;
}

/** Stops a process group started by startLine (or a command started detached) and waits for it. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
  await closed;
}

/** A systemd unit's settings, with ExecStart split as systemd splits the double-quoted words install.sh writes. */
export interface UnitFile {
  execStart: string[];
  environmentFile: string;
  workingDirectory: string;
}

export function parseUnit(text: string): UnitFile {
  const value = (key: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${key}=`));
    if (line === undefined) throw new Error(`no ${key}= in the unit`);
    return line.slice(key.length + 1);
  };
  const execStart = [...value('ExecStart').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  return { execStart, environmentFile: value('EnvironmentFile'), workingDirectory: value('WorkingDirectory') };
}

/** `KEY='value'` lines (what install.sh writes and systemd's EnvironmentFile reads). */
export function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)='([^']*)'$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Every regular file (and symlink) under `root`, relative to it. */
export function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

/** Disk use of a folder in KiB, as `du -sk` counts it. */
export function duKiB(path: string): number {
  return Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]);
}

/** Processes whose executable is `exe` (/proc/<pid>/exe). */
export function pidsRunning(exe: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readlinkSync(`/proc/${d}/exe`) === exe) out.push(Number(d));
    } catch {
      // another user's, or gone meanwhile
    }
  }
  return out;
}
