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
