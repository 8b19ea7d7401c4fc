import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { OidcProviderStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

/** OidcProviderStore: one JSON string per provider name, replaced whole by set. */
export function oidcProvidersSuite(open: () => Promise<OpenedEngine>): void {
  async function withProviders(fn: (p: OidcProviderStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.oidcProviders!);
    } finally {
      await e.close();
    }
  }

  it('an unknown provider reads as undefined; list() is empty', () =>
    withProviders(async (p) => {
      assert.equal(await p.get('github'), undefined);
      assert.deepEqual(await p.list(), []);
    }));

  it('set inserts, then replaces the addition of the same name (upsert)', () =>
    withProviders(async (p) => {
      await p.set({ name: 'github', addition: '{"client_id":"a"}' });
      await p.set({ name: 'generic', addition: '{}' });
      await p.set({ name: 'github', addition: '{"client_id":"b","note":"服务器 ✓"}' });
      assert.deepEqual(await p.get('github'), { name: 'github', addition: '{"client_id":"b","note":"服务器 ✓"}' });
      assert.deepEqual(await p.get('generic'), { name: 'generic', addition: '{}' });
      assert.equal((await p.list()).length, 2);
    }));

  it('list() is ordered by name byte by byte; names are exact', () =>
    withProviders(async (p) => {
      for (const name of ['b', 'a', 'B', 'a-b', 'a_b', 'é', 'Z']) await p.set({ name, addition: JSON.stringify({ name }) });
      assert.deepEqual((await p.list()).map((r) => r.name), ['B', 'Z', 'a', 'a-b', 'a_b', 'b', 'é']);
      assert.equal(await p.get('A'), undefined);
      assert.equal(await p.get('a '), undefined);
      assert.deepEqual(await p.get('é'), { name: 'é', addition: '{"name":"é"}' });
    }));
}
