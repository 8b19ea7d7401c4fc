import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile (written by node --cpu-prof) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** time not idle: what the process spent working */
  busyMs: number;
  top: { name: string; ms: number; share: number }[];
  byArea: { area: string; ms: number; share: number }[];
  /** our own functions by inclusive time (self + callees): which code paths the time goes to */
  inclusive: { name: string; ms: number; share: number }[];
}

/** Where a frame's code lives: our source file, a dependency, Node itself, or V8's own buckets. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const ours = /\/(packages\/[^/]+\/src\/.+|bench\/.+)$/.exec(url);
  if (ours) return ours[1]!.replace(/^packages\/server\/src\//, 'server/');
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  if (url.startsWith('node:')) return url;
  return url.split('/').slice(-2).join('/');
}

function frameName(url: string, fn: string, line: number): string {
  const area = areaOf(url, fn);
  return url ? `${fn || '(anonymous)'} ${area}:${line + 1}` : fn;
}

/** Self time per function and per area (file or package), largest first, as shares of busy time. */
export function summarizeProfile(path: string, topN = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, t] of self) {
    const { functionName: fn, url, lineNumber } = byId.get(id)!.callFrame;
    total += t;
    if (fn === '(idle)') {
      idle += t;
      continue;
    }
    const name = frameName(url, fn, lineNumber);
    fns.set(name, (fns.get(name) ?? 0) + t);
    const area = areaOf(url, fn);
    areas.set(area, (areas.get(area) ?? 0) + t);
  }
  const busy = total - idle;
  const inclusive = inclusiveTimes(p, byId, self);
  const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, topN);
  return {
    totalMs: total,
    busyMs: busy,
    top: ranked(fns).map(([name, ms]) => ({ name, ms, share: ms / busy })),
    byArea: ranked(areas).map(([area, ms]) => ({ area, ms, share: ms / busy })),
    inclusive: ranked(inclusive).map(([name, ms]) => ({ name, ms, share: ms / busy })),
  };
}

/** Time of every sample counted once for each distinct server function on its stack. */
function inclusiveTimes(p: CpuProfile, byId: Map<number, CpuProfile['nodes'][number]>, self: Map<number, number>): Map<string, number> {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName: fn, url, lineNumber } = byId.get(cur)!.callFrame;
      if (!/\/packages\/server\/src\//.test(url) || fn === '' || fn === '(anonymous)') continue;
      seen.add(frameName(url, fn, lineNumber));
    }
    for (const name of seen) out.set(name, (out.get(name) ?? 0) + t);
  }
  return out;
}

export function printProfile(path: string): void {
  const s = summarizeProfile(path);
  const pct = (v: number) => `${(v * 100).toFixed(1).padStart(5)} %`;
  console.log(`\nCPU profile of the server (${path}): ${(s.busyMs / 1000).toFixed(1)} s busy of ${(s.totalMs / 1000).toFixed(1)} s`);
  console.log('  self time by area (file or package):');
  for (const a of s.byArea) console.log(`    ${pct(a.share)}  ${a.area}`);
  console.log('  self time by function:');
  for (const f of s.top) console.log(`    ${pct(f.share)}  ${f.name}`);
  console.log('  komari-ts functions by inclusive time (self + callees):');
  for (const f of s.inclusive) console.log(`    ${pct(f.share)}  ${f.name}`);
}
