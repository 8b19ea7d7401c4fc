import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { childProcess } from '../lazy-modules.ts';
import { findOnPath, leadsSession, loginShell, shellOf, ttyOf } from './pty-host.ts';

/** how long the shell has to leave on its own after Ctrl-C, Ctrl-D and `exit` */
const CLOSE_GRACE_MS = 500;

/**
 * A real pseudo-terminal without a native addon: util-linux `script` (package bsdutils, Essential
 * on Debian, so present on every Debian/Ubuntu host) allocates the pty and runs the login shell
 * on it; we talk to the pty master through script's stdin/stdout pipes. The window size is set
 * from outside with `stty -F /dev/pts/N rows R cols C` on the shell's own terminal: TIOCSWINSZ on
 * the slave updates the size and the kernel sends SIGWINCH to the foreground job, exactly what
 * a pty library does on the master, and nothing is typed into the user's shell.
 */
export class PseudoTerminal {
  readonly exited: Promise<void>;
  readonly #child: ChildProcessWithoutNullStreams;
  #tty: string | undefined;
  #shellPid: number | undefined;
  #size = { cols: 80, rows: 24 };
  #resizing: Promise<void> = Promise.resolve();
  #resizeQueued = false;
  #closing = false;
  #startError: Error | undefined;

  /** Starts the login shell on a new pty; throws when `script` is not installed. */
  static start(): PseudoTerminal {
    const script = findOnPath('script');
    if (!script) throw new Error('util-linux `script` is not installed (Debian: apt-get install bsdutils); no terminal available');
    const shell = loginShell();
    const env = { ...process.env, SHELL: shell, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
    const command = `exec '${shell.replaceAll("'", "'\\''")}' -l`;
    const child = childProcess().spawn(script, ['-qfec', command, '/dev/null'], { env, cwd: existsSync(homedir()) ? homedir() : undefined, detached: true, stdio: 'pipe' });
    return new PseudoTerminal(child);
  }

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    child.stdin.on('error', () => {}); // the pty may go away while input is in flight
    this.exited = new Promise((resolve) => {
      child.once('close', () => resolve()); // after its output is read to the end
      child.once('error', (err) => {
        this.#startError = err;
        resolve();
      });
    });
    void this.#findShell();
  }

  /** Why the terminal could not start, once `exited` has resolved without a session. */
  get startError(): Error | undefined {
    return this.#startError;
  }

  /** The shell's pid, once found. */
  get shellPid(): number | undefined {
    return this.#shellPid;
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.#child.stdout.on('data', listener);
    this.#child.stderr.on('data', listener);
  }

  pause(): void {
    this.#child.stdout.pause();
  }

  resume(): void {
    this.#child.stdout.resume();
  }

  write(data: Buffer | string): void {
    if (this.#child.stdin.writable) this.#child.stdin.write(data);
  }

  /** Applied when both are > 0; sizes arriving before the pty is found are applied once it is. */
  resize(cols: number, rows: number): void {
    if (!(Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0)) return;
    this.#size = { cols: Math.min(cols, 65535), rows: Math.min(rows, 65535) };
    this.#applySize();
  }

  /**
   * §10 teardown: Ctrl-C ×3, Ctrl-D and `exit\n` let the shell end by itself; what is still there
   * after a short grace gets SIGTERM (script's group and the shell's), and SIGKILL 5 s later.
   * Resolves when script exits. The grace keeps script's own SIGTERM path (a notice and a 2 s
   * wait before it kills the shell) for shells that do not leave when asked.
   */
  close(): Promise<void> {
    if (this.#closing) return this.exited;
    this.#closing = true;
    for (const keys of ['\x03', '\x03', '\x03', '\x04', 'exit\n']) this.write(keys);
    const term = setTimeout(() => this.#signalGroups('SIGTERM'), CLOSE_GRACE_MS);
    const kill = setTimeout(() => this.#signalGroups('SIGKILL'), CLOSE_GRACE_MS + 5000);
    kill.unref();
    void this.exited.then(() => clearTimeout(term));
    return this.exited;
  }

  /** Signals script's group while it runs, and the shell's group while the shell still leads its session. */
  #signalGroups(signal: NodeJS.Signals): void {
    const groups: number[] = [];
    if (this.#child.pid !== undefined && this.#child.exitCode === null && this.#child.signalCode === null) groups.push(this.#child.pid);
    if (this.#shellPid !== undefined && leadsSession(this.#shellPid)) groups.push(this.#shellPid);
    for (const pid of groups) {
      try {
        process.kill(-pid, signal);
      } catch {
        // that group is gone already
      }
    }
  }

  /** script's child is the shell (session leader on the pty): find it and its /dev/pts/N. */
  async #findShell(): Promise<void> {
    const scriptPid = this.#child.pid;
    for (let waited = 0; scriptPid !== undefined && waited < 5000 && !this.#closing; waited += 20) {
      const shellPid = shellOf(scriptPid);
      const tty = shellPid === undefined ? undefined : ttyOf(shellPid);
      if (shellPid !== undefined && tty !== undefined) {
        this.#shellPid = shellPid;
        this.#tty = tty;
        this.#applySize();
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** One stty at a time, and at most one more queued: a burst of resizes ends at the last size. */
  #applySize(): void {
    const tty = this.#tty;
    if (tty === undefined || this.#resizeQueued) return;
    this.#resizeQueued = true;
    this.#resizing = this.#resizing.then(() => {
      this.#resizeQueued = false;
      const { cols, rows } = this.#size;
      return new Promise<void>((resolve) => {
        childProcess().execFile('stty', ['-F', tty, 'rows', String(rows), 'cols', String(cols)], { timeout: 3000 }, () => resolve());
      });
    });
  }
}
