/**
 * Node flags the server runs with (scripts/start.sh passes them; the benchmarks fork their server
 * with them; a test keeps the two in step).
 *
 * `--max-semi-space-size=16` (MiB): V8 grows the young generation with the allocation rate, and
 * ingest allocates enough per report that it grew to 128 MiB at 1,000 agents (new_space 128 MiB
 * with 3 MiB live, against 32 MiB for the bare `ws` server on the same fleet): the largest single
 * item of the server's RSS beyond the bare server's (BENCHMARKS.md, "Memory per agent"). Capped
 * at 16 MiB a semi-space, it stays at the bare server's 32 MiB.
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=16'];

/**
 * glibc malloc settings the server runs with (scripts/start.sh exports them unless set; the
 * benchmarks give them to their server child). Other C libraries ignore them.
 *
 * `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (the zlib thread pool inflating v2
 * frames, V8's GC helpers) an arena of its own, up to 8 per core, and freed memory stays in the
 * arena it came from. `MALLOC_MMAP_THRESHOLD_=131072`: allocations of 128 KiB and more (the
 * `/api/clients` payloads, 0.5–5 MB) are mapped and unmapped on their own instead of landing in
 * an arena that glibc's adaptive threshold would otherwise grow to, where they fragment it. At
 * 1,000 agents with a dashboard polling: RSS 293 → 225 MiB, CPU per report unchanged (BENCHMARKS.md).
 */
export const serverMallocEnv: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};
