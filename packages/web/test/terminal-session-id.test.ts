import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRequestId, parseRequestIdFrame, reattachDelay, reattachDelaysMs, saveRequestId, storageKey } from '../src/admin/terminal/terminal-session-id.ts';

const id = 'Ab3dEfGh1jKlMn0pQrStUvWxYz012345';

/** A Storage-shaped map, as sessionStorage behaves. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('the terminal session id (komari-1.5.md §4.3)', () => {
  it('takes the id from the server’s first frame only when it is exactly that frame', () => {
    assert.equal(parseRequestIdFrame(JSON.stringify({ request_id: id })), id);
    assert.equal(parseRequestIdFrame(` ${JSON.stringify({ request_id: id })}`), undefined);
    for (const text of [
      '',
      'Terminal session expired\n终端会话已过期\n',
      '等待被控端连接 waiting for agent...\n',
      '{"request_id":',
      '{"request_id":42}',
      '{"request_id":null}',
      '{"request_id":""}',
      '{"request_id":"short"}',
      `{"request_id":"${id}x"}`,
      `{"request_id":"${id.slice(0, 31)}/"}`,
      `{"request_id":"../${id.slice(3)}"}`,
      `[{"request_id":"${id}"}]`,
      '{"type":"close"}',
      `{"request_id":"${id}","pad":"${'x'.repeat(300)}"}`,
    ]) {
      assert.equal(parseRequestIdFrame(text), undefined, text);
    }
  });

  it('re-attaches a bounded number of times, waiting longer each time', () => {
    const delays = [1, 2, 3, 4, 5].map(reattachDelay);
    assert.deepEqual(delays, [...reattachDelaysMs]);
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i]! > delays[i - 1]!);
    for (const n of [0, -1, 6, 100, 1.5, Number.NaN]) assert.equal(reattachDelay(n), undefined, String(n));
  });

  it('keeps the id per node: another node never gets it, junk and a broken storage give none', () => {
    const storage = memoryStorage();
    saveRequestId(storage, 'node-a', id);
    assert.equal(loadRequestId(storage, 'node-a'), id);
    assert.equal(loadRequestId(storage, 'node-b'), undefined);
    assert.notEqual(storageKey('node-a'), storageKey('node-b'));
    saveRequestId(storage, 'node-a', undefined);
    assert.equal(loadRequestId(storage, 'node-a'), undefined);
    assert.equal(storage.map.size, 0);

    storage.map.set(storageKey('node-a'), 'not an id');
    assert.equal(loadRequestId(storage, 'node-a'), undefined);
    assert.equal(loadRequestId(undefined, 'node-a'), undefined);
    const broken = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
    assert.equal(loadRequestId(broken, 'node-a'), undefined);
    assert.doesNotThrow(() => saveRequestId(broken, 'node-a', id));
  });
});
