import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { FrameAssembler, parseRelayMessage, piecesOf, type RelayMessage } from '../../src/cluster/terminal-wire.ts';

const id = 'a'.repeat(32);
const from = 'replica-1';

function roundTrip(data: Buffer, binary: boolean, pieceBytes: number): { pieces: RelayMessage[]; frames: unknown[] } {
  const pieces = piecesOf(id, from, { data, binary }, pieceBytes);
  const assembler = new FrameAssembler(1024 * 1024);
  const frames: unknown[] = [];
  for (const p of pieces) {
    // every piece crosses the bus as JSON and is checked on arrival
    const msg = parseRelayMessage(JSON.parse(JSON.stringify(p)), 1024 * 1024);
    assert.ok(msg && !('end' in msg));
    const out = assembler.push(msg);
    if (out) frames.push(out);
  }
  return { pieces, frames };
}

describe('relayed terminal frames on the bus (cluster/terminal-wire.ts)', () => {
  it('a frame comes out whole and of the same type, whatever its size against the piece size', () => {
    for (const size of [0, 1, 99, 100, 101, 200, 1000]) {
      for (const binary of [true, false]) {
        const data = randomBytes(size);
        const { pieces, frames } = roundTrip(data, binary, 100);
        assert.equal(pieces.length, Math.max(1, Math.ceil(size / 100)), `pieces for ${size} bytes`);
        assert.deepEqual(frames, [{ data, binary }]);
      }
    }
  });

  it('refuses a frame growing past the bound, and starts afresh after it', () => {
    const assembler = new FrameAssembler(150);
    const pieces = piecesOf(id, from, { data: randomBytes(200), binary: true }, 100) as Array<{ d: string; more?: 1 }>;
    assert.equal(assembler.push(pieces[0]!), undefined);
    assert.equal(assembler.push(pieces[1]!), 'overflow');
    const small = Buffer.from('ok');
    assert.deepEqual(assembler.push({ d: small.toString('base64') }), { data: small, binary: true });
  });

  it('refuses malformed messages: bad ids, bad base64, oversized pieces, unknown flags, long reasons', () => {
    const bad: unknown[] = [
      null,
      'junk',
      [id, from],
      { id: 'short', from, d: '' },
      { id, from: 'has space', d: '' },
      { id, from, d: '!!!!' },
      { id, from, d: 'AAA' },
      { id, from, d: 'A'.repeat(200) },
      { id, from, d: 'AAAA', t: true },
      { id, from, d: 'AAAA', more: 2 },
      { id, from, end: 'x'.repeat(101) },
      { id, from },
    ];
    for (const m of bad) assert.equal(parseRelayMessage(m, 100), undefined, JSON.stringify(m));
    assert.deepEqual(parseRelayMessage({ id, from, end: 'agent closed', extra: 1 }, 100), { id, from, end: 'agent closed' });
  });
});
