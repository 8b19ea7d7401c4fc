import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { FastifyBaseLogger } from 'fastify';
import { buildAgent, builtAgentPath, installScriptBeside, isBuildFresh } from '../../../agent/scripts/build.ts';
import { AppError } from '../errors.ts';
import type { AgentInstallLimits } from './limits.ts';

/** A download held in memory, with its strong ETag (a hash of the bytes). */
export interface ServedFile {
  body: Buffer;
  etag: string;
}

export function served(body: Buffer): ServedFile {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
}

/** The agent's build: the bundle and the install.sh written beside it (packages/agent/scripts/build.ts). */
const builtFiles = { bundle: builtAgentPath, script: installScriptBeside(builtAgentPath) };

/**
 * Makes sure packages/agent/dist holds a fresh build: as it is, else built now (rolldown, as
 * scripts/start.sh does); when building is not possible here (no rolldown, a read-only folder,
 * the server's package) and an older build exists, that one, with a warning.
 */
async function ensureBuilt(log: FastifyBaseLogger): Promise<void> {
  if (isBuildFresh()) return;
  try {
    await buildAgent();
    log.info(`agent bundle built for the install line: ${builtAgentPath}`);
  } catch (err) {
    if (!existsSync(builtFiles.bundle) || !existsSync(builtFiles.script)) {
      log.error({ err }, 'agent bundle missing and could not be built');
      throw AppError.unavailable('The agent bundle is not available on this server: run `npm run build -w packages/agent` there.');
    }
    log.warn({ err }, `agent bundle could not be rebuilt; serving the older ${builtAgentPath}`);
  }
}

/**
 * The two small downloads of the install line, built (when stale) and read once per server,
 * then served from memory. A failure is not kept: the next request tries again.
 */
export class AgentDownloads {
  readonly #log: FastifyBaseLogger;
  readonly #limits: AgentInstallLimits;
  #files: Promise<{ script: ServedFile; bundle: ServedFile }> | undefined;

  constructor(log: FastifyBaseLogger, limits: AgentInstallLimits) {
    this.#log = log;
    this.#limits = limits;
  }

  async script(): Promise<ServedFile> {
    return (await this.#load()).script;
  }

  async bundle(): Promise<ServedFile> {
    return (await this.#load()).bundle;
  }

  #load(): Promise<{ script: ServedFile; bundle: ServedFile }> {
    this.#files ??= this.#read().catch((err: unknown) => {
      this.#files = undefined;
      throw err;
    });
    return this.#files;
  }

  async #read(): Promise<{ script: ServedFile; bundle: ServedFile }> {
    await ensureBuilt(this.#log);
    const max = this.#limits.maxBundleBytes;
    for (const path of Object.values(builtFiles)) {
      const { size } = await stat(path);
      if (size > max) {
        this.#log.error(`${path} is ${size} bytes, more than limits.agentInstall.maxBundleBytes (${max}): not served`);
        throw AppError.unavailable('The agent bundle is larger than this server serves.');
      }
    }
    const [script, bundle] = await Promise.all([readFile(builtFiles.script), readFile(builtFiles.bundle)]);
    return { script: served(script), bundle: served(bundle) };
  }
}
