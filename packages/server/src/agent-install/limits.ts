import type { TokenBucketRule } from '../util/token-buckets.ts';

/**
 * What the agent install downloads (`/api/agent/*`, agent-install/) may cost the server. They are
 * open to anyone who reaches the server (a new host has no session), so each is bounded.
 */
export interface AgentInstallLimits {
  /** the Node runtime (the server's own binary, ~120 MiB) is refused when larger than this */
  maxRuntimeBytes: number;
  /** runtime downloads streaming at once, from every address together; one more gets 503 */
  maxRuntimeDownloads: number;
  /** the Retry-After of that 503, in seconds (a runtime streams in seconds on a LAN) */
  busyRetryAfterSec: number;
  /** runtime downloads per client address (IPv6 as given), then 429 */
  runtimePerIp: TokenBucketRule;
  /** the agent bundle and its install.sh are held in memory to serve them; a larger one is refused (the bundle is ~250 KiB) */
  maxBundleBytes: number;
  /** characters of `os` and `arch` in the runtime's query (Node's names are at most 7) */
  maxPlatformNameChars: number;
}

export const defaultAgentInstallLimits: AgentInstallLimits = {
  maxRuntimeBytes: 256 * 1024 * 1024,
  maxRuntimeDownloads: 4,
  busyRetryAfterSec: 30,
  runtimePerIp: { burst: 5, perMinute: 2, maxKeys: 10_000 },
  maxBundleBytes: 8 * 1024 * 1024,
  maxPlatformNameChars: 16,
};
