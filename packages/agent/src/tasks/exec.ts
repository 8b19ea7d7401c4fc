import { childProcess } from '../lazy-modules.ts';
import type { ExecOutcome } from '../types.ts';

/** Remote exec as the official agent runs it (agent-protocol.md §6.6, §13). */

export interface ExecOptions {
  /** --disable-web-ssh: no command runs */
  disabled?: boolean;
  /** kill the command's process group after this long (exit code -1); no limit when absent */
  timeoutMs?: number;
  /** per stream; the rest is drained and dropped with a note (1 MiB by default) */
  maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

/** Collects one output stream up to a byte cap; what is past it is counted, not kept. */
class CappedOutput {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #dropped = 0;
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  add(chunk: Buffer): void {
    const keep = Math.min(Math.max(0, this.#cap - this.#kept), chunk.length);
    if (keep > 0) this.#chunks.push(keep === chunk.length ? chunk : chunk.subarray(0, keep));
    this.#kept += keep;
    this.#dropped += chunk.length - keep;
  }

  text(): string {
    const body = Buffer.concat(this.#chunks).toString('utf8');
    return this.#dropped > 0 ? `${body}\n[komari-agent: output truncated, ${this.#dropped} more bytes dropped]\n` : body;
  }
}

/** stdout, then stderr after a newline when there is any; CRLF → LF. */
export function combineOutput(stdout: string, stderr: string): string {
  const joined = stderr.length > 0 ? `${stdout}\n${stderr}` : stdout;
  return joined.replaceAll('\r\n', '\n');
}

/**
 * Runs `command` with `sh -s` (the command on stdin) in its own process group. Never rejects:
 * an empty command, web ssh disabled and a failure to start give the spec's special results.
 */
export function runExec(command: string, opts: ExecOptions = {}): Promise<ExecOutcome> {
  if (command === '') return Promise.resolve({ result: 'No command provided', exitCode: 0 });
  if (opts.disabled) return Promise.resolve({ result: 'Remote control is disabled.', exitCode: -1 });
  const cap = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve) => {
    const child = childProcess().spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out = new CappedOutput(cap);
    const err = new CappedOutput(cap);
    let timedOut = false;
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.add(c));
    child.stderr.on('data', (c: Buffer) => err.add(c));
    child.stdin.on('error', () => {}); // the command may exit without reading the rest
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ result: e.message, exitCode: -1 });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const note = timedOut ? `\n[komari-agent: killed after ${opts.timeoutMs} ms]\n` : '';
      resolve({ result: combineOutput(out.text(), err.text()) + note, exitCode: timedOut ? -1 : (code ?? -1) });
    });
    child.stdin.end(command.endsWith('\n') ? command : `${command}\n`);
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
