import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type NatsConnection } from 'nats';
import { loadBootConfig } from '../../src/config/boot-config.ts';
import { clusterPrefixOf } from '../../src/cluster/open-cluster.ts';
import { startServer } from '../../src/main.ts';
import { eventually, feedOf } from '../helpers/agent-common.ts';
import { clusterSkipReason, natsClusterOf, startReplicas, testNatsUrl } from '../helpers/cluster.ts';
import { freshPgSchema, testPgUrl } from '../helpers/postgres.ts';
import { http, type TestServer } from '../helpers/server.ts';

describe('KOMARI_CLUSTER: what is refused (issue 16 §2)', () => {
  it('a value that is not a nats:// URL stops the start, naming the setting', () => {
    assert.throws(() => loadBootConfig({}, { KOMARI_CLUSTER: 'http://127.0.0.1:4222' }), /KOMARI_CLUSTER/);
    assert.throws(() => loadBootConfig({}, { KOMARI_CLUSTER: 'nats://a b' }), /KOMARI_CLUSTER/);
  });

  it('replicas on SQLite are refused: they must share one PostgreSQL', async () => {
    const config = loadBootConfig({ listen: '127.0.0.1:0', db: ':memory:' }, { KOMARI_CLUSTER: 'nats://127.0.0.1:4222', KOMARI_LOG_LEVEL: 'silent' });
    await assert.rejects(startServer(config, () => {}), /KOMARI_CLUSTER needs KOMARI_DB to be a postgres:\/\/ URL/);
  });

  it('an unreachable NATS stops the start with a message that holds no password', { skip: testPgUrl ? undefined : 'no PostgreSQL' }, async () => {
    const schema = await freshPgSchema();
    const config = loadBootConfig(
      { listen: '127.0.0.1:0', db: testPgUrl },
      { KOMARI_CLUSTER: 'nats://user:n4ts-s3cret@127.0.0.1:1', KOMARI_LOG_LEVEL: 'silent', KOMARI_PG_SCHEMA: schema.schema },
    );
    const err = await startServer(config, () => {})
      .then(
        () => assert.fail('started'),
        (e: Error) => e,
      )
      .finally(() => schema.drop());
    assert.match(err.message, /cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
    assert.doesNotMatch(err.message, /n4ts-s3cret/);
  });
});

describe('hostile messages on the cluster subjects (issue 16 §2)', { skip: clusterSkipReason }, () => {
  let cluster: Awaited<ReturnType<typeof startReplicas>>;

  before(async () => {
    // a small bound on the nodes a heartbeat may name, so an oversized one fits in a NATS message
    cluster = await startReplicas(1, { limits: { cluster: { maxHeartbeatNodes: 10 } } });
  });
  after(() => cluster?.dispose());

  it('garbage, wrong shapes and huge node lists are ignored; the replica keeps serving', async () => {
    const [s] = cluster.replicas;
    const prefix = clusterPrefixOf(testPgUrl, cluster.schema);
    const nc = await connect({ servers: testNatsUrl });
    try {
      await hostile(nc, prefix, s!);
    } finally {
      await nc.close();
    }
  });
});

async function hostile(nc: NatsConnection, prefix: string, s: TestServer): Promise<void> {
    const enc = new TextEncoder();
    const before = natsClusterOf(s).badMessages;
    nc.publish(`${prefix}.reports`, enc.encode('{not json'));
    nc.publish(`${prefix}.reports`, enc.encode(JSON.stringify({ from: 'x', reports: '[["n", "not a time", {}]]' })));
    nc.publish(`${prefix}.reports`, enc.encode(JSON.stringify({ from: 'x', reports: 42 })));
    nc.publish(`${prefix}.heartbeat`, enc.encode(JSON.stringify({ from: 'x', seq: 1, part: 0, parts: 1, nodes: [1, 2, 3] })));
    nc.publish(`${prefix}.heartbeat`, enc.encode(JSON.stringify({ from: 'x', seq: 2, part: 0, parts: 1, nodes: Array.from({ length: 11 }, (_, i) => `n${i}`) })));
    nc.publish(`${prefix}.heartbeat`, enc.encode(JSON.stringify({ from: 'x', seq: 3, part: 5, parts: 2, nodes: ['n1'] })));
    nc.publish(`${prefix}.heartbeat`, enc.encode(JSON.stringify({ from: 'x', nodes: ['n1'] })));
    nc.publish(`${prefix}.event`, enc.encode(JSON.stringify({ from: 'x', name: 'node.deleted', event: { uuid: '../../etc' } })));
    nc.publish(`${prefix}.event`, enc.encode(JSON.stringify({ from: 'x', name: 'no.such.event', event: {} })));
    nc.publish(`${prefix}.cmd.${s.ctx.cluster.replicaId}`, enc.encode(JSON.stringify({ uuid: 'n', cmd: { v2: 'x' } })));
    await nc.flush();
    await eventually(() => natsClusterOf(s!).badMessages === before + 1);
    // a heartbeat every later message is compared with: a well-formed one is taken
    nc.publish(`${prefix}.heartbeat`, enc.encode(JSON.stringify({ from: 'other', seq: 1, part: 0, parts: 1, nodes: ['some-node'] })));
    await nc.flush();
    await eventually(() => s.ctx.live.ownerOf('some-node') === 'other');
    assert.equal(s.ctx.live.ownerOf('n1'), undefined, 'the oversized heartbeat named nobody');
    assert.equal(s.ctx.live.latest('n'), undefined, 'the malformed report was not shown');
    assert.equal((await http(s.url, '/api/version')).status, 200);
    assert.ok((await feedOf(s.url)).online.length <= 1);
}
