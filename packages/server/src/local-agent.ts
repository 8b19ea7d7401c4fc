import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import type { FastifyBaseLogger } from 'fastify';
import { agentNodeFlags, agentSourcePath, builtAgentPath, isBuildFresh } from '../../agent/scripts/build.ts';
import type { AppContext } from './app-context.ts';
import { createNode } from './methods/nodes-admin.ts';

/** The settings key that remembers which node is this host's, so restarts reuse it. */
export const localAgentSettingKey = 'local_agent_uuid';

/** How the agent is run: its entry file and the Node flags before it. */
export interface AgentLaunch {
  main: string;
  nodeFlags: readonly string[];
}

/**
 * The built agent (dist/komari-agent.cjs, ~57 MiB RSS) with its Node flags; when the build is
 * missing or older than the sources (`npm start` without `scripts/start.sh`, or an edit since),
 * the .ts source (~108 MiB: Node loads its TypeScript compiler), with a warning that says why.
 * The source gets no flags: `--jitless` would also turn off the WebAssembly that strips types.
 */
export function agentLaunch(log: FastifyBaseLogger): AgentLaunch {
  if (isBuildFresh()) return { main: builtAgentPath, nodeFlags: agentNodeFlags };
  log.warn(
    `local agent runs from its TypeScript source (about twice the memory): ${builtAgentPath} is missing or older ` +
      'than packages/agent/src; `npm run build -w packages/agent` builds it (scripts/start.sh does)',
  );
  return { main: agentSourcePath, nodeFlags: [] };
}

const minBackoffMs = 1000;
const maxBackoffMs = 60_000;
/** a child that ran this long was healthy: the next restart starts from the shortest pause */
const healthyRunMs = 60_000;
const stopGraceMs = 5000;

/** This host's node: the remembered one if it still exists, else a new node named after the host. */
export async function ensureLocalNode(app: AppContext): Promise<{ uuid: string; token: string }> {
  const remembered = app.settings.all()[localAgentSettingKey];
  if (typeof remembered === 'string' && remembered !== '') {
    const node = await app.store.nodes.get(remembered);
    if (node) return { uuid: node.uuid, token: node.token };
  }
  const created = await createNode(app, hostname().slice(0, 100));
  await app.settings.update({ [localAgentSettingKey]: created.uuid });
  return created;
}

/** Where the local agent reaches the server: loopback when it listens on every address. */
export function localEndpoint(addr: AddressInfo): string {
  const any = addr.address === '0.0.0.0' || addr.address === '::';
  const host = any ? '127.0.0.1' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `http://${host}:${addr.port}`;
}

/** The child's environment: no AGENT_* of the operator's (they would override the flags). */
function agentEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AGENT_')) env[k] = v;
  return { ...env, AGENT_LOG_LEVEL: 'warn' };
}

/**
 * The agent of the README's start command: `node <flags> packages/agent/dist/komari-agent.cjs -e
 * <server> -t <token> -i 1` as a child process, restarted with a growing pause (1 s … 60 s) when it dies,
 * stopped with the server. Its log lines go to the server's log. It also stops by itself when
 * the server process is gone (the IPC channel closes).
 */
export class LocalAgent {
  readonly #args: string[];
  readonly #log: FastifyBaseLogger;
  #child: ChildProcess | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #stopping = false;

  constructor(endpoint: string, token: string, log: FastifyBaseLogger, launch: AgentLaunch = agentLaunch(log)) {
    this.#args = [...launch.nodeFlags, launch.main, '-e', endpoint, '-t', token, '-i', '1'];
    this.#log = log;
  }

  /** the running child's pid (tests) */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    if (this.#stopping) return;
    const startedAt = Date.now();
    const child = spawn(process.execPath, this.#args, { env: agentEnv(), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.#child = child;
    createInterface({ input: child.stderr! }).on('line', (line) => this.#log.warn(`local agent: ${line}`));
    child.on('error', (err) => this.#log.error({ err }, 'local agent could not start'));
    child.on('exit', (code, signal) => {
      this.#child = undefined;
      if (this.#stopping) return;
      this.#failures = Date.now() - startedAt >= healthyRunMs ? 0 : this.#failures + 1;
      const pause = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.max(0, this.#failures - 1));
      this.#log.warn(`local agent exited (${signal ?? code}); restarting in ${pause / 1000} s`);
      this.#timer = setTimeout(() => this.start(), pause);
    });
  }

  /** SIGTERM, then SIGKILL after 5 s; no restart afterwards. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
    await exited;
    clearTimeout(kill);
  }
}

/**
 * Ensures this host's node and starts its agent against the listening server (`addr`, the
 * server's bound address). Never throws: when the agent cannot run (not part of this
 * installation, the node cannot be made), the server runs without it and says why.
 */
export async function startLocalAgent(
  app: AppContext,
  addr: AddressInfo | string | null,
  given?: AgentLaunch,
): Promise<LocalAgent | undefined> {
  if (typeof addr !== 'object' || addr === null) return undefined;
  const launch = given ?? agentLaunch(app.log);
  if (!existsSync(launch.main)) {
    app.log.warn(`local agent not started: ${launch.main} is missing`);
    return undefined;
  }
  let node: { uuid: string; token: string };
  try {
    node = await ensureLocalNode(app);
  } catch (err) {
    app.log.error({ err }, 'local agent not started: its node could not be made');
    return undefined;
  }
  const agent = new LocalAgent(localEndpoint(addr), node.token, app.log, launch);
  agent.start();
  app.log.info(`local agent started for node ${node.uuid} (KOMARI_LOCAL_AGENT=0 or --no-local-agent turns it off)`);
  return agent;
}
