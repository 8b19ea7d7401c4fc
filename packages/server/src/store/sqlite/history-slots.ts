import type { DatabaseSync } from 'node:sqlite';
import { applyChange, type SlotChange } from '../history-slots.ts';

/**
 * history_slots on SQLite (store/history-slots.ts), written inside the caller's transaction. A
 * flush rewrites every open bucket every few seconds, but a bucket's bit changes once: the newest
 * block of each node and width is remembered, and a change that would leave it as it is costs no
 * statement. This connection is the only writer, so what it remembers stays true until a prune or
 * a delete (which forget it), or a rollback (the caller forgets it).
 */
export class SqliteSlots {
  readonly #newest = new Map<string, { block: number; bits: number }>();
  readonly #upsert;
  readonly #clear;
  readonly #dropEmpty;

  constructor(db: DatabaseSync) {
    this.#upsert = db.prepare(`INSERT INTO history_slots (node, width, block, bits) VALUES (?, ?, ?, ?)
      ON CONFLICT (node, width, block) DO UPDATE SET bits = (bits & ~?) | excluded.bits RETURNING bits`);
    this.#clear = db.prepare('UPDATE history_slots SET bits = bits & ~? WHERE node = ? AND width = ? AND block = ? RETURNING bits');
    this.#dropEmpty = db.prepare('DELETE FROM history_slots WHERE node = ? AND width = ? AND block = ? AND bits = 0');
  }

  apply(changes: readonly SlotChange[]): void {
    for (const c of changes) {
      const key = `${c.node}\u0000${c.width}`;
      const known = this.#newest.get(key);
      if (known?.block === c.block && applyChange(known.bits, c) === known.bits) continue;
      let bits: number;
      if (c.set !== 0) bits = Number(this.#upsert.get(c.node, c.width, c.block, c.set, c.clear)!.bits);
      else {
        // nothing to set: a row that is not there stays away rather than stored as 0
        bits = Number(this.#clear.get(c.clear, c.node, c.width, c.block)?.bits ?? 0);
        if (bits === 0) this.#dropEmpty.run(c.node, c.width, c.block);
      }
      if (!known || c.block >= known.block) this.#newest.set(key, { block: c.block, bits });
    }
  }

  forget(): void {
    this.#newest.clear();
  }
}
