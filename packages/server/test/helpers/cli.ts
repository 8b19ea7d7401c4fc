import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bannerTitle } from '../../src/logging/banner.ts';
import { listensOn } from './port-owner.ts';

/** The real CLI entry point, run with the same Node binary as the tests. */
export const cliPath = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

/** The README's start command. */
export const startScriptPath = fileURLToPath(new URL('../../../../scripts/start.sh', import.meta.url));

/** Extra variables for a child; `undefined` removes one (e.g. the KOMARI_LOCAL_AGENT=0 default). */
export type EnvPatch = Record<string, string | undefined>;

/**
 * process.env without anything that would change the server under test (admin creds, KOMARI_*),
 * with the Node running the tests first on PATH (scripts look Node up there). No local agent
 * (KOMARI_LOCAL_AGENT=0, which the README's start script would otherwise turn on) unless asked.
 */
export function cleanEnv(extra: EnvPatch): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'PATH' || k.startsWith('KOMARI_') || k.startsWith('ADMIN_') || k.startsWith('NODE_TEST')) continue;
    env[k] = v;
  }
  const merged: NodeJS.ProcessEnv = { ...env, KOMARI_LOG_LEVEL: 'warn', KOMARI_LOCAL_AGENT: '0', ...extra };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one CLI command to completion; `timeoutMs` kills it first (a command expected to exit that
 * starts serving instead), and the result's code is then null.
 */
export async function runCli(args: string[], env: EnvPatch = {}, timeoutMs?: number, cwd?: string): Promise<CliResult> {
  return runCommand([process.execPath, cliPath, ...args], env, timeoutMs, cwd);
}

/** Like runCli for any command line (an installed `komari`, a script), in the same clean environment. */
export async function runCommand(command: readonly string[], env: EnvPatch = {}, timeoutMs?: number, cwd?: string): Promise<CliResult> {
  const child = spawn(command[0]!, command.slice(1), { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'], cwd });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** A free TCP port on 127.0.0.1: listen on port 0, read the port, close. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  srv.close();
  await once(srv, 'close');
  return port;
}

export interface CliServer {
  url: string;
  child: ChildProcess;
  /** everything the process printed to stdout so far */
  stdout(): string;
  stderr(): string;
  /** sends SIGTERM and resolves with the exit code and signal */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `node cli.ts server` (or another command line, such as the README's start script) as a child
 * process over `dbPath`, listening on a free port. Resolves once the child itself listens there,
 * GET /ping answers and it has printed its banner (with a first start's password), its last word.
 * A port another process took first is tried again with a new one.
 */
export async function spawnCliServer(
  dbPath: string,
  env: EnvPatch = {},
  command: readonly string[] = [process.execPath, cliPath, 'server'],
  /** how long the child may take to answer; several children started side by side take longer */
  startTimeoutMs = 15_000,
): Promise<CliServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOn(await freePort(), dbPath, env, command, startTimeoutMs);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === 3) throw err;
    }
  }
}

class PortTaken extends Error {}

async function spawnOn(port: number, dbPath: string, env: EnvPatch, command: readonly string[], startTimeoutMs: number): Promise<CliServer> {
  const child = spawn(command[0]!, command.slice(1), {
    env: cleanEnv({ KOMARI_DB: dbPath, KOMARI_LISTEN: `127.0.0.1:${port}`, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      if (err.includes('EADDRINUSE')) throw new PortTaken(`port ${port} was taken`);
      throw new Error(`server exited early (${child.exitCode}): ${err}`);
    }
    try {
      if (out.includes(bannerTitle) && listensOn(child.pid!, port) && (await fetch(`${url}/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code, signal] = await exited;
      return { code, signal };
    },
  };
}
