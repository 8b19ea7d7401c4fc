/**
 * The Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): `# HELP` and `# TYPE` once per
 * metric family, then its samples, one per line.
 */
export const expositionContentType = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter';

export interface Family {
  /** `komari_…`, base units in the name (`_bytes`, `_seconds`, `_ratio`), `_total` for counters */
  name: string;
  type: MetricType;
  help: string;
}

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escapes backslash and line feed only. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/**
 * `name="value",…` without the braces, so a series' labels are escaped once and shared by every
 * family it appears in (a node's 20 gauges).
 */
export function labelText(labels: Readonly<Record<string, string>>): string {
  let out = '';
  for (const [k, v] of Object.entries(labels)) out += `${out ? ',' : ''}${k}="${escapeLabelValue(v)}"`;
  return out;
}

/** Go's float formatting as Prometheus reads it: NaN, +Inf, -Inf, else the shortest decimal. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Builds one exposition. A family is declared once, and its samples follow it before the next is
 * declared: the writer refuses to declare a name twice, which would be a programming error.
 */
export class ExpositionWriter {
  /** one string grown by `+=`: V8 keeps it as a rope and flattens it once, faster than joining 30,000 lines */
  #text = '';
  readonly #declared = new Set<string>();
  #current: Family | undefined;

  family(f: Family): this {
    if (this.#declared.has(f.name)) throw new Error(`metric family ${f.name} declared twice`);
    this.#declared.add(f.name);
    this.#current = f;
    this.#text += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
    return this;
  }

  /** One sample of the family declared last; `labels` is a labelText() result ('' for none). */
  sample(labels: string, value: number): this {
    const name = this.#current?.name;
    if (!name) throw new Error('a sample before any metric family');
    this.#text += labels ? `${name}{${labels}} ${formatValue(value)}\n` : `${name} ${formatValue(value)}\n`;
    return this;
  }

  /** A family with a single unlabelled sample. */
  single(f: Family, value: number): this {
    return this.family(f).sample('', value);
  }

  text(): string {
    return this.#text;
  }
}
