import { alignDown } from '../history/bucket.ts';
import type { BucketReader } from './bucket-reader.ts';
import type { MetricDef } from './definitions.ts';
import { loadPart, pingPart, type Part } from './parts.ts';

/** One series' stored parts over a window, grouped by tag set (ping series carry `task_id`). */
export interface TaggedParts {
  tags?: Record<string, string>;
  parts: Part[];
}

/** Reads one metric of one node at one tier width, from the history engines (stored rows and open buckets). */
export async function readParts(reader: BucketReader, def: MetricDef, entity: string, width: number, from: number, to: number): Promise<TaggedParts[]> {
  const src = def.source;
  if (src.kind === 'none') return [];
  if (src.kind === 'ping') {
    const rows = await reader.ping(entity, width, from, to);
    const byTask = new Map<number, Part[]>();
    for (const r of rows) {
      const p = pingPart(r, src.what);
      if (!p) continue;
      const list = byTask.get(r.task) ?? [];
      list.push(p);
      byTask.set(r.task, list);
    }
    return [...byTask].map(([task, parts]) => ({ tags: { task_id: String(task) }, parts }));
  }
  const parts = (await reader.load(entity, width, from, to)).flatMap((r) => loadPart(r, src) ?? []);
  return parts.length > 0 ? [{ parts }] : [];
}

/** Parts gathered into output buckets of `seconds`, oldest first. */
export function groupParts(parts: readonly Part[], seconds: number): { start: number; parts: Part[] }[] {
  const out = new Map<number, Part[]>();
  for (const p of [...parts].sort((a, b) => a.start - b.start)) {
    const start = alignDown(p.start, seconds);
    const list = out.get(start);
    if (list) list.push(p);
    else out.set(start, [p]);
  }
  return [...out].map(([start, list]) => ({ start, parts: list }));
}
