/**
 * `komari-healthcheck [URL]`: exits 0 when the server answers `GET /api/version` with a success
 * envelope, else 1 with the reason on stderr. The Docker image's HEALTHCHECK and compose.yaml run
 * it (the slim Node image has no curl). Without URL it asks this host's server on the port of
 * KOMARI_LISTEN (default 25774), on loopback when the server listens on every address.
 */
import { packageLimits } from './limits.ts';
import { localUrl } from './local-url.ts';

async function check(base: string): Promise<string> {
  const res = await fetch(new URL('/api/version', base), { signal: AbortSignal.timeout(packageLimits.healthcheckTimeoutMs) });
  const body = (await res.json().catch(() => undefined)) as
    | { status?: string; data?: { version?: string; server?: string; server_version?: string } }
    | undefined;
  if (!res.ok || body?.status !== 'success') throw new Error(`GET /api/version answered ${res.status}`);
  // `version` is the Komari version komari-ts speaks for; `server_version` is its own
  return `${body.data?.server ?? 'komari'} ${body.data?.server_version ?? body.data?.version ?? ''}`;
}

const base = process.argv[2] ?? localUrl(process.env.KOMARI_LISTEN || '0.0.0.0:25774');
try {
  console.log(`healthy: ${base} ${await check(base)}`);
} catch (err) {
  const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  console.error(`unhealthy: ${base}: ${cause}`);
  process.exit(1);
}
