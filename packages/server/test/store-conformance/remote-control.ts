import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RemoteControlStore } from '../../src/remote-control/store/types.ts';
import type { NodeStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';
import { nodeRow } from './nodes.ts';

const follow = { exec: null, terminal: null, files: null };

/** RemoteControlStore: a node's override per kind, null = follow the server-wide switch. */
export function remoteControlSuite(open: () => Promise<OpenedEngine>): void {
  async function withRc(fn: (rc: RemoteControlStore, nodes: NodeStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await e.repos.nodes!.create(nodeRow('n1'));
      await e.repos.nodes!.create(nodeRow('n2'));
      await fn(e.repos.remoteControl!, e.repos.nodes!);
    } finally {
      await e.close();
    }
  }

  it('a node without an override follows the server for every kind; all() is empty', () =>
    withRc(async (rc) => {
      assert.deepEqual(await rc.get('n1'), follow);
      assert.deepEqual(await rc.get('unknown'), follow);
      assert.deepEqual(await rc.all(), new Map());
    }));

  it('set changes the given kinds only and returns the result', () =>
    withRc(async (rc) => {
      assert.deepEqual(await rc.set('n1', { exec: true }), { exec: true, terminal: null, files: null });
      assert.deepEqual(await rc.set('n1', { files: false }), { exec: true, terminal: null, files: false });
      assert.deepEqual(await rc.set('n1', { exec: undefined, terminal: true }), { exec: true, terminal: true, files: false });
      assert.deepEqual(await rc.get('n1'), { exec: true, terminal: true, files: false });
      assert.deepEqual(await rc.get('n2'), follow);
    }));

  it('all() lists each node with an override; setting every kind back to null removes it', () =>
    withRc(async (rc) => {
      await rc.set('n1', { exec: false });
      await rc.set('n2', { terminal: true, files: true });
      assert.deepEqual(await rc.all(), new Map([['n1', { exec: false, terminal: null, files: null }], ['n2', { exec: null, terminal: true, files: true }]]));
      assert.deepEqual(await rc.set('n2', { terminal: null, files: null }), follow);
      assert.deepEqual(await rc.all(), new Map([['n1', { exec: false, terminal: null, files: null }]]));
      assert.deepEqual(await rc.set('n1', {}), { exec: false, terminal: null, files: null });
    }));

  it('an all-null set on a node without an override stores nothing', () =>
    withRc(async (rc) => {
      assert.deepEqual(await rc.set('n1', { exec: null }), follow);
      assert.deepEqual(await rc.set('n1', {}), follow);
      assert.deepEqual(await rc.all(), new Map());
    }));

  it('an unknown node is refused (a foreign key) and nothing is stored', () =>
    withRc(async (rc) => {
      await assert.rejects(rc.set('ghost', { exec: true }));
      assert.deepEqual(await rc.get('ghost'), follow);
      assert.deepEqual(await rc.all(), new Map());
    }));

  it("a node's override goes with the node", () =>
    withRc(async (rc, nodes) => {
      await rc.set('n1', { exec: true });
      await rc.set('n2', { exec: false });
      assert.equal(await nodes.remove('n1'), true);
      await nodes.create(nodeRow('n1'));
      assert.deepEqual(await rc.get('n1'), follow);
      assert.deepEqual(await rc.all(), new Map([['n2', { exec: false, terminal: null, files: null }]]));
    }));

  it('sets at once on one node each keep the kinds the others set', () =>
    withRc(async (rc) => {
      await Promise.all([rc.set('n1', { exec: true }), rc.set('n1', { terminal: false }), rc.set('n1', { files: true })]);
      assert.deepEqual(await rc.get('n1'), { exec: true, terminal: false, files: true });
    }));
}
