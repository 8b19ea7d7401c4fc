import type { ProcReader } from './read.ts';

export interface LoadFigures {
  load1: number;
  load5: number;
  load15: number;
}

/** Parses /proc/loadavg: `0.44 1.36 1.61 1/152 3373`. */
export function parseLoadavg(text: string): LoadFigures {
  const [a, b, c] = text.trim().split(/\s+/, 3).map(Number);
  if (a === undefined || b === undefined || c === undefined || ![a, b, c].every(Number.isFinite)) {
    throw new Error('unreadable loadavg');
  }
  return { load1: a, load5: b, load15: c };
}

export function readLoad(reader: ProcReader, procRoot: string): LoadFigures {
  return parseLoadavg(reader.text(`${procRoot}/loadavg`));
}
