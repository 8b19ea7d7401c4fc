import type { PerMessageDeflateOptions } from 'ws';

/**
 * The compression terms of an agent socket (bench/bare-ws.ts imports this very object, so the
 * benchmark's ratio compares like with like).
 *
 * `concurrencyLimit`: frames inflating at once (ws: 10). Each inflate is a trip through the zlib
 * thread pool whose completion waits for the event loop; with ingest keeping the loop busy, 10 at
 * a time capped a 10,000-agent fleet at ~2,500 v2 frames/s while the CPU idled, and the queue grew
 * until the agents' read deadline dropped every v2 socket (BENCHMARKS.md). The server itself
 * inflates agents that agreed to no context takeover in place (inflate-here.ts); this limit and
 * the chunk size below serve the others, and the bare server of the benchmark.
 *
 * `chunkSize`: each socket's inflate stream (where ws keeps one) keeps an output buffer of this size for its life.
 * Node's default (16 KiB) is carved from Node 24's 64 KiB Buffer pool, and a live slice pins its
 * whole slab: ~30 KiB a v2 socket on average in a heap snapshot, against ~13 KiB at 4 KiB. A
 * report inflates to under 1 KiB; a larger message takes several chunks. The cost: a message
 * that does not fit what is left of the buffer takes a second trip through the thread pool, about
 * one report in five instead of one in twenty.
 */
export const agentDeflateOptions: PerMessageDeflateOptions = {
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  concurrencyLimit: 512,
  zlibInflateOptions: { chunkSize: 4096 },
};
