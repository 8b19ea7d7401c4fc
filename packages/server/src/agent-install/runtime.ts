import { open } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { minAgentNodeMajor } from '../../../agent/scripts/build.ts';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { tooMany } from '../http/too-many.ts';
import { TokenBuckets } from '../util/token-buckets.ts';
import type { AgentInstallLimits } from './limits.ts';
import { parsePlatformQuery, samePlatform, serverPlatform, type Platform } from './platform.ts';

const name = (p: Platform) => `${p.os}/${p.arch}`;

/**
 * `GET /api/agent/node?os=linux&arch=x64`: the server's own Node binary (`process.execPath`),
 * streamed, for a host whose platform is the server's; no other file can be asked for. Bounded:
 * its size, the downloads at once, and per client address.
 */
export class RuntimeDownloads {
  readonly #limits: AgentInstallLimits;
  readonly #clock: Clock;
  readonly #perIp: TokenBuckets;
  readonly #execPath: string;
  #streaming = 0;

  /** `execPath`: the binary served (this process's own) */
  constructor(limits: AgentInstallLimits, clock: Clock, execPath = process.execPath) {
    this.#execPath = execPath;
    this.#limits = limits;
    this.#clock = clock;
    this.#perIp = new TokenBuckets(limits.runtimePerIp);
  }

  async send(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const query = parsePlatformQuery(request.query, this.#limits.maxPlatformNameChars);
    if (!query.ok) throw AppError.invalidParams(query.message);
    const own = serverPlatform();
    if (!samePlatform(query.platform, own)) {
      throw AppError.notFound(
        `This server has no Node.js runtime for ${name(query.platform)}: it serves only its own (${name(own)}). ` +
          `Install Node.js ${minAgentNodeMajor} or later on that host and run the install line again.`,
      );
    }
    const retryAfterSec = Math.ceil(60 / this.#limits.runtimePerIp.perMinute);
    if (!this.#perIp.take(request.ip, this.#clock.now())) {
      return tooMany(reply, retryAfterSec, { message: `Too many runtime downloads from this address, try again in ${retryAfterSec} seconds` });
    }
    if (this.#streaming >= this.#limits.maxRuntimeDownloads) {
      const wait = this.#limits.busyRetryAfterSec;
      void reply.header('Retry-After', String(wait));
      throw AppError.unavailable(`Too many runtime downloads at once, try again in ${wait} seconds`);
    }
    return this.#stream(reply);
  }

  async #stream(reply: FastifyReply): Promise<FastifyReply> {
    const file = await open(this.#execPath, 'r');
    let size: number;
    try {
      size = (await file.stat()).size;
    } catch (err) {
      await file.close();
      throw err;
    }
    if (size > this.#limits.maxRuntimeBytes) {
      await file.close();
      throw AppError.unavailable(`This server's Node.js runtime is ${size} bytes, more than it serves (${this.#limits.maxRuntimeBytes}).`);
    }
    // The size read from this descriptor is what is sent, whatever happens to the path meanwhile.
    const body = file.createReadStream({ start: 0, end: Math.max(0, size - 1), autoClose: true });
    this.#streaming++;
    body.once('close', () => this.#streaming--);
    return reply
      .type('application/octet-stream')
      .header('content-disposition', 'attachment; filename="node"')
      .header('content-length', size)
      .header('x-node-version', process.version)
      .send(body);
  }
}
