/**
 * Komari's clipboard: saved commands an admin picks from in exec and the terminal (admin-api.md
 * §9). The table and its columns are Komari's (`clipboards`: id, text, name, weight, remark,
 * created_at, updated_at) so an import maps one row to one row; times are Unix milliseconds here.
 * Every engine of the store implements `ClipboardStore`.
 */

export interface ClipboardEntry {
  id: number;
  /** the command */
  text: string;
  name: string;
  weight: number;
  remark: string;
  createdAt: number;
  updatedAt: number;
}

/** What an admin sets; the id and the times are the store's. */
export type ClipboardFields = Pick<ClipboardEntry, 'text' | 'name' | 'weight' | 'remark'>;

export interface ClipboardStore {
  /** Every entry, by id. */
  list(): Promise<ClipboardEntry[]>;
  get(id: number): Promise<ClipboardEntry | undefined>;
  /**
   * Adds an entry unless `maxEntries` are held already (checked and inserted as one statement,
   * so two calls at once cannot both pass): the entry, or undefined when full.
   */
  create(fields: ClipboardFields, at: number, maxEntries: number): Promise<ClipboardEntry | undefined>;
  /** Sets the given fields and `updatedAt`; false when no entry has this id. */
  update(id: number, patch: Partial<ClipboardFields>, at: number): Promise<boolean>;
  /** False when no entry has this id. */
  remove(id: number): Promise<boolean>;
  /** Deletes the entries of these ids that exist; returns how many went. */
  removeMany(ids: readonly number[]): Promise<number>;
}
