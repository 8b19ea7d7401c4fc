import { readFileSync } from 'node:fs';

/** Self size and count of one kind of heap node ("object:WebSocket", "string", "native:Zlib"). */
export interface HeapKind {
  count: number;
  bytes: number;
}

/**
 * Sums a .heapsnapshot's nodes by kind: objects and closures by constructor name, strings,
 * arrays, code and native nodes by type (natives by name too, so zlib contexts show up as such).
 * Two summaries diffed over the same server before and after N agents connect give the bytes
 * each agent costs, kind by kind.
 */
export function summarizeSnapshot(path: string): Map<string, HeapKind> {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const meta = snap.snapshot.meta;
  const fields: string[] = meta.node_fields;
  const types: string[] = meta.node_types[0];
  const stride = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const nodes: number[] = snap.nodes;
  const strings: string[] = snap.strings;
  const out = new Map<string, HeapKind>();
  for (let i = 0; i < nodes.length; i += stride) {
    const type = types[nodes[i + iType]!]!;
    const name = strings[nodes[i + iName]!]!;
    let key: string;
    if (type === 'object' || type === 'closure' || type === 'native' || type === 'hidden') key = `${type}:${name.slice(0, 60)}`;
    else if (type === 'array' && name.startsWith('(')) key = `array:${name}`;
    else key = type;
    const k = out.get(key) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += nodes[i + iSize]!;
    out.set(key, k);
  }
  return out;
}

/** after − before, per kind, largest growth first */
export function diffSummaries(before: Map<string, HeapKind>, after: Map<string, HeapKind>): Array<[string, HeapKind]> {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const rows: Array<[string, HeapKind]> = [];
  for (const key of keys) {
    const a = before.get(key) ?? { count: 0, bytes: 0 };
    const b = after.get(key) ?? { count: 0, bytes: 0 };
    rows.push([key, { count: b.count - a.count, bytes: b.bytes - a.bytes }]);
  }
  return rows.sort((x, y) => y[1].bytes - x[1].bytes);
}
