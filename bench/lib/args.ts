import { parseArgs } from 'node:util';

/** One flag: its default (which fixes its type) and a line of help. */
export interface Flag<T extends number | string | boolean = number | string | boolean> {
  default: T;
  help: string;
}
export type FlagSpec = Record<string, Flag>;
type Values<S extends FlagSpec> = { [K in keyof S]: S[K]['default'] extends number ? number : S[K]['default'] extends boolean ? boolean : string };

/** `agents` → `BENCH_AGENTS`, `ping-tasks` → `BENCH_PING_TASKS`. */
function envName(flag: string): string {
  return `BENCH_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function convert(name: string, raw: string | boolean, def: number | string | boolean): number | string | boolean {
  if (typeof def === 'boolean') return raw === true || raw === 'true' || raw === '1';
  if (typeof def === 'string') return String(raw);
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${String(raw)}`);
  return n;
}

/**
 * Reads `--flag value` (or `--flag=value`), then `BENCH_FLAG` from the environment, then the
 * default. `--help` prints the flags and exits. Unknown flags are an error, so a typo never runs
 * a benchmark at a size nobody asked for.
 */
export function readFlags<S extends FlagSpec>(title: string, spec: S, argv = process.argv.slice(2)): Values<S> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, f] of Object.entries(spec)) options[name] = { type: typeof f.default === 'boolean' ? 'boolean' : 'string' };
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  if (values.help) {
    console.log(`${title}\n\nflags (or BENCH_* environment variables):`);
    for (const [name, f] of Object.entries(spec)) console.log(`  --${name.padEnd(18)} ${f.help} (default ${String(f.default)}; ${envName(name)})`);
    process.exit(0);
  }
  const out: Record<string, number | string | boolean> = {};
  for (const [name, f] of Object.entries(spec)) {
    const given = values[name] ?? process.env[envName(name)];
    out[name] = given === undefined ? f.default : convert(name, given, f.default);
  }
  return out as Values<S>;
}
