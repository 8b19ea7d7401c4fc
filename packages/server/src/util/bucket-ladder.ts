/**
 * The open buckets of one series across the history tiers (load history per node, ping history
 * per task/node): index 0 is the finest tier. Shared by both engines so closing, rolling up and
 * the reader's view of in-progress buckets follow one rule.
 */
export interface Ladder<R> {
  open: (R | undefined)[];
  /** end of the last closed finest bucket: later samples never land before it */
  closedUntil: number;
}

export interface LadderOps<R extends { start: number; width: number }> {
  /** tier widths in seconds, finest first */
  widths: readonly number[];
  /** an empty bucket of the same series as `like` */
  empty(like: R, width: number, start: number): R;
  copy(b: R): R;
  merge(into: R, from: R): void;
  /** a coarse bucket changed: queue it for writing */
  changed(b: R): void;
}

export function alignDown(ms: number, widthSeconds: number): number {
  const w = widthSeconds * 1000;
  return Math.floor(ms / w) * w;
}

export function bucketEnd(b: { start: number; width: number }): number {
  return b.start + b.width * 1000;
}

/** Merges a closed finest bucket into the open bucket of every coarser tier. */
function rollUp<R extends { start: number; width: number }>(l: Ladder<R>, fine: R, ops: LadderOps<R>): void {
  for (let k = 1; k < ops.widths.length; k++) {
    const width = ops.widths[k]!;
    const start = alignDown(fine.start, width);
    let coarse = l.open[k];
    if (coarse?.start !== start) l.open[k] = coarse = ops.empty(fine, width, start);
    ops.merge(coarse, fine);
    ops.changed(coarse);
  }
}

/** Closes the buckets whose span has ended by `now`, finest first. */
export function closeLadder<R extends { start: number; width: number }>(l: Ladder<R>, now: number, ops: LadderOps<R>): void {
  const fine = l.open[0];
  if (fine && bucketEnd(fine) <= now) {
    l.open[0] = undefined;
    l.closedUntil = bucketEnd(fine);
    rollUp(l, fine, ops);
  }
  for (let k = 1; k < l.open.length; k++) {
    const b = l.open[k];
    if (b && bucketEnd(b) <= now) l.open[k] = undefined;
  }
}

/** The in-progress bucket of tier k as a reader sees it: a coarse one includes the open finest one. */
export function openView<R extends { start: number; width: number }>(l: Ladder<R>, k: number, ops: LadderOps<R>): R | undefined {
  if (k < 0) return undefined;
  const open = l.open[k];
  const fine = l.open[0];
  if (k === 0 || !fine) return open;
  const start = alignDown(fine.start, ops.widths[k]!);
  if (open && open.start !== start) return open;
  const view = open ? ops.copy(open) : ops.empty(fine, ops.widths[k]!, start);
  ops.merge(view, fine);
  return view;
}
