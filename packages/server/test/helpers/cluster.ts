import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsCluster } from '../../src/cluster/nats-cluster.ts';
import { eventually } from './agent-common.ts';
import { freshPgSchema, testPgUrl } from './postgres.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';

/** The machine's NATS (`.ci/run` sets it); replica tests skip without it or without PostgreSQL. */
export const testNatsUrl = process.env.KOMARI_TEST_NATS_URL ?? '';

export const clusterSkipReason =
  testPgUrl && testNatsUrl ? undefined : 'KOMARI_TEST_PG_URL and KOMARI_TEST_NATS_URL are needed: replicas share PostgreSQL and NATS';

/** Replicas on one fresh PostgreSQL schema, joined through the machine's NATS, each in its own data folder. */
export async function startReplicas(
  count: number,
  opts: TestServerOptions = {},
): Promise<{ replicas: TestServer[]; schema: string; start(): Promise<TestServer>; dispose(): Promise<void> }> {
  const schema = await freshPgSchema();
  const dirs: string[] = [];
  const all: TestServer[] = [];
  const start = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-replica-'));
    dirs.push(dir);
    const s = await startTestServer({ ...opts, dir, pg: { url: testPgUrl, schema: schema.schema }, env: { ...opts.env, KOMARI_CLUSTER: testNatsUrl } });
    all.push(s);
    return s;
  };
  // one after the other: the first one creates the schema's tables and the admin
  const replicas: TestServer[] = [];
  for (let i = 0; i < count; i++) replicas.push(await start());
  return {
    replicas,
    schema: schema.schema,
    start,
    async dispose() {
      await Promise.allSettled(all.map((s) => s.stop()));
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      await schema.drop();
    },
  };
}

/** The replica's cluster, to ask for leadership now instead of waiting for a tick. */
export function natsClusterOf(s: TestServer): NatsCluster {
  return s.ctx.cluster as NatsCluster;
}

/** Waits until a node added on another replica is known here: its change is re-read after ~100 ms. */
export async function untilTokenKnown(s: TestServer, token: string): Promise<void> {
  await eventually(async () => (await s.ctx.store.nodes.byToken(token)) !== undefined);
}
