import type { BasicInfo } from '@komari-ts/protocol';
import type { Collector } from '../types.ts';
import type { HostAddresses } from './addresses.ts';
import { paths } from './endpoints.ts';
import { ProtocolFailure } from './failures.ts';
import { errorText, type Logger } from './log.ts';
import { postPlain, postV2, type PostContext } from './rpc-post.ts';

const timeoutMs = 30_000;

export interface BasicInfoDeps {
  post: PostContext;
  collector: Collector;
  addresses: () => HostAddresses;
  log: Logger;
  signal: AbortSignal;
}

/**
 * Basic info as the official agent uploads it (agent-protocol.md §4, §8): v2 `agent.basicInfo`
 * notification by POST (an empty answer is fine), or v1 `/uploadBasicInfo`; the third
 * consecutive protocol failure during a v2 upload switches uploads to v1; a failed upload is
 * retried once without `kernel_version` and `cpu_physical_cores` (servers ≤ 1.2.0 refuse them).
 */
export class BasicInfoUploader {
  readonly #deps: BasicInfoDeps;
  #v1Uploads = false;
  /** the last upload failed: the next connection uploads again at once */
  pending = true;

  constructor(deps: BasicInfoDeps) {
    this.#deps = deps;
  }

  /** A v2 connection is up: uploads go back to v2. */
  v2Works(): void {
    this.#v1Uploads = false;
  }

  /** Never rejects; resolves with whether the server took it. */
  async upload(protocol: 1 | 2): Promise<boolean> {
    let info: BasicInfo;
    try {
      info = { ...(await this.#deps.collector.basicInfo()), ...this.#deps.addresses() };
    } catch (err) {
      this.#deps.log.error(`basic info could not be collected: ${errorText(err)}`);
      return false;
    }
    let ok = await this.#send(protocol, info);
    if (!ok && !this.#deps.signal.aborted) {
      const { kernel_version: _k, cpu_physical_cores: _c, ...older } = info;
      ok = await this.#send(protocol, older);
    }
    this.pending = !ok;
    return ok;
  }

  async #send(protocol: 1 | 2, info: BasicInfo): Promise<boolean> {
    const { post, signal, log } = this.#deps;
    const v1 = protocol === 1 || this.#v1Uploads;
    try {
      if (v1) await postPlain(post, paths.uploadBasicInfo, info, timeoutMs, signal);
      else await postV2(post, 'agent.basicInfo', { info }, { timeoutMs, counted: true, emptyOk: true, signal });
      log.debug(`basic info uploaded (v${v1 ? 1 : 2})`);
      return true;
    } catch (err) {
      if (!v1 && err instanceof ProtocolFailure && post.failures.reached) this.#v1Uploads = true;
      log.warn(`basic info upload (v${v1 ? 1 : 2}) failed: ${errorText(err)}`);
      return false;
    }
  }
}
