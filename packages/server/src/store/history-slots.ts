import type { HistorySlotBlock } from './types.ts';

/**
 * history_slots: per node and width, which buckets are stored with samples, 32 to a row as the
 * bits of an integer. Both engines keep it in the transaction that writes or deletes the buckets
 * (a row with count > 0 sets its bit, one with count 0 or deleted clears it), so it always says
 * what history_buckets holds; reads over many nodes count buckets and find the n-th one here
 * (tens of thousands of small rows for a month of 1,000 nodes) instead of in the buckets
 * (720,000 rows, 0.3–2 s to count: BENCHMARKS.md, History).
 */
export const slotsPerBlock = 32;

/** Where a bucket start falls: its block's start and its bit. Starts are multiples of the width. */
export function slotOf(start: number, width: number): { block: number; bit: number } {
  const w = width * 1000;
  // by bucket number, exact for any start below 2^53 (a division by the block's span could round)
  const n = Math.floor(start / w);
  const i = ((n % slotsPerBlock) + slotsPerBlock) % slotsPerBlock;
  return { block: (n - i) * w, bit: 2 ** i };
}

/** SQL for a bucket's block (`start` and `width` columns; integer division truncates, so floor it). */
export const blockSql = (start: string, width: string) =>
  `(${start} - (((${start} % (${width} * ${slotsPerBlock * 1000})) + ${width} * ${slotsPerBlock * 1000}) % (${width} * ${slotsPerBlock * 1000})))`;

/** SQL for a bucket's bit in its block. */
export const bitSql = (start: string, width: string) => `(${start} - ${blockSql(start, width)}) / (${width} * 1000)`;

/** Bits to set and to clear in one slot row. */
export interface SlotChange {
  node: number | string;
  width: number;
  block: number;
  set: number;
  clear: number;
}

/**
 * The slot changes of rows as they end up stored, in write order (a later row of the same key
 * decides its bit): samples set the bit, none (or a deletion, `present` false) clear it.
 */
export function slotChanges<N extends number | string>(
  rows: Iterable<{ node: N; width: number; start: number; present: boolean }>,
): SlotChange[] {
  const out = new Map<string, SlotChange>();
  for (const r of rows) {
    const { block, bit } = slotOf(r.start, r.width);
    const key = `${r.node}\u0000${r.width}\u0000${block}`;
    let c = out.get(key);
    if (!c) out.set(key, (c = { node: r.node, width: r.width, block, set: 0, clear: 0 }));
    if (r.present) {
      c.set = (c.set | bit) >>> 0;
      c.clear = (c.clear & ~bit) >>> 0;
    } else {
      c.clear = (c.clear | bit) >>> 0;
      c.set = (c.set & ~bit) >>> 0;
    }
  }
  return [...out.values()];
}

/** A block's bits after a change. */
export const applyChange = (bits: number, c: Pick<SlotChange, 'set' | 'clear'>) => ((bits & ~c.clear) | c.set) >>> 0;

/**
 * Calls `fn` with the start of every bucket the blocks mark, oldest first, from ≤ start ≤ to.
 * Blocks come oldest first (as HistoryStore.slots gives them).
 */
export function forEachSlot(blocks: readonly HistorySlotBlock[], width: number, from: number, to: number, fn: (start: number) => void): void {
  const w = width * 1000;
  for (const { block, bits } of blocks) {
    // lowest bit first: `b & -b` isolates it, clz32 numbers it
    for (let b = bits | 0; b !== 0; b &= b - 1) {
      const start = block + (31 - Math.clz32(b & -b)) * w;
      if (start >= from && start <= to) fn(start);
    }
  }
}
