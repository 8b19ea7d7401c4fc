import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { HeldByReplica, heartbeatParts, isHeartbeatPart } from '../../src/cluster/heartbeats.ts';
import { defaultClusterLimits } from '../../src/cluster/limits.ts';

describe('heartbeats in parts (a replica holding more nodes than one NATS message names)', () => {
  it('25,000 nodes go in 3 parts, each under NATS\'s 1 MiB', () => {
    const nodes = Array.from({ length: 25_000 }, () => randomUUID());
    const parts = heartbeatParts('r1', 1, nodes, defaultClusterLimits.maxHeartbeatNodes);
    assert.equal(parts.length, 3);
    assert.deepEqual(parts.flatMap((p) => p.nodes), nodes);
    for (const p of parts) {
      assert.ok(Buffer.byteLength(JSON.stringify(p)) < 1024 * 1024);
      assert.ok(isHeartbeatPart(p, defaultClusterLimits.maxHeartbeatNodes));
    }
  });

  it('nodes are let go only once a whole beat has arrived without them; a beat missing a part lets go of none', () => {
    const held = new HeldByReplica();
    for (const p of heartbeatParts('r1', 1, ['a', 'b', 'c', 'd'], 2)) held.take(p, 0);
    const [first] = heartbeatParts('r1', 2, ['a', 'c'], 1);
    assert.deepEqual(held.take(first!, 1), [], 'half a beat lets go of nothing');
    // the second part of beat 2 is lost; beat 3 comes whole
    const beat3 = heartbeatParts('r1', 3, ['a'], 1);
    assert.deepEqual(held.take(beat3[0]!, 2).sort(), ['b', 'c', 'd']);
  });

  it('refuses parts that do not add up', () => {
    const max = 10;
    assert.equal(isHeartbeatPart({ from: 'r', seq: 1, part: 2, parts: 2, nodes: [] }, max), false);
    assert.equal(isHeartbeatPart({ from: 'r', seq: 1, part: 0, parts: 0, nodes: [] }, max), false);
    assert.equal(isHeartbeatPart({ from: 'r', seq: 1, part: 0, parts: 1e9, nodes: [] }, max), false);
    assert.equal(isHeartbeatPart({ from: 'r', seq: 1.5, part: 0, parts: 1, nodes: [] }, max), false);
    assert.equal(isHeartbeatPart({ from: 'r', seq: 1, part: 0, parts: 1, nodes: Array(11).fill('n') }, max), false);
    assert.equal(isHeartbeatPart({ from: 'r', seq: 1, part: 0, parts: 1, nodes: [1] }, max), false);
  });
});
