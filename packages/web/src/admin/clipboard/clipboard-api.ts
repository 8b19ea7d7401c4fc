// Saved commands through the admin REST routes (admin-api.md §9). The page edits them; the exec
// page and the web terminal read them.
import { apiGet, apiSend } from '../../lib/api.ts';

export interface SavedCommand {
  id: number;
  name: string;
  text: string;
  remark: string;
  weight: number;
  created_at: string;
  updated_at: string;
}

export type SavedCommandFields = Pick<SavedCommand, 'name' | 'text' | 'remark' | 'weight'>;

/** The server lists them unsorted (Komari does); people read them by weight, then as added. */
export function byWeight(a: SavedCommand, b: SavedCommand): number {
  return a.weight - b.weight || a.id - b.id;
}

export async function listSavedCommands(signal?: AbortSignal): Promise<SavedCommand[]> {
  return [...((await apiGet<SavedCommand[] | null>('/api/admin/clipboard', signal)) ?? [])].sort(byWeight);
}

export const addSavedCommand = (f: SavedCommandFields) => apiSend<SavedCommand>('/api/admin/clipboard', f);
export const editSavedCommand = (id: number, f: SavedCommandFields) => apiSend(`/api/admin/clipboard/${id}`, f);
export const deleteSavedCommand = (id: number) => apiSend(`/api/admin/clipboard/${id}/remove`);

/** The weight box's text as a whole number, or undefined when it is not one. */
export function parseWeight(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return 0;
  if (!/^-?\d{1,9}$/.test(s)) return undefined;
  return Number(s);
}

/** A key in `admin-clipboard` for the first thing wrong with the form, or undefined. */
export function formProblem(f: { text: string }, weightText: string): string | undefined {
  if (!f.text.trim()) return 'form.errors.text';
  if (parseWeight(weightText) === undefined) return 'form.errors.weight';
  return undefined;
}
