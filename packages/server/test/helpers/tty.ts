import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cleanEnv, type EnvPatch } from './cli.ts';

/** util-linux `script`, which runs a command on a pseudo-terminal; undefined where it is missing. */
export const scriptBin = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

export interface TtyProcess {
  child: ChildProcess;
  /** what the command wrote to its terminal so far, with the terminal's \r\n made \n */
  output(): string;
  /** SIGTERM to the command (not to `script`), then its exit code as `script -e` passes it on */
  stop(): Promise<number | null>;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** The direct children of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * `argv` run with its stdout and stderr on a pseudo-terminal (so `process.stdout.isTTY` is true
 * in it), the cleaned environment of helpers/cli.ts plus `env`. Its stdin stays open: `script`
 * must not pass an end of input on to the command.
 */
export function spawnOnTty(argv: readonly string[], env: EnvPatch): TtyProcess {
  if (!scriptBin) throw new Error('util-linux script is missing');
  const child = spawn(scriptBin, ['-qefc', `exec ${argv.map(quote).join(' ')}`, '/dev/null'], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    output: () => out.replace(/\r\n/g, '\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const inner = childrenOf(child.pid!);
        if (inner.length === 0) child.kill('SIGTERM');
        for (const pid of inner) process.kill(pid, 'SIGTERM');
      }
      const [code] = await exited;
      return code;
    },
  };
}
