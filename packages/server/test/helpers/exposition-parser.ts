import assert from 'node:assert/strict';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** family name → its TYPE */
  types: Map<string, string>;
  samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** `k="v",…` with the format's escapes (\\, \", \n) and nothing else; throws on anything off. */
function parseLabels(text: string, line: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    assert.ok(eq > i, `label without a name: ${line}`);
    const name = text.slice(i, eq);
    assert.match(name, labelName, `label name: ${line}`);
    assert.equal(text[eq + 1], '"', `label value must be quoted: ${line}`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      assert.ok(j < text.length, `unterminated label value: ${line}`);
      const c = text[j]!;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        assert.ok(next === '\\' || next === '"' || next === 'n', `bad escape \\${next} in: ${line}`);
        value += next === 'n' ? '\n' : next;
        j += 2;
        continue;
      }
      assert.notEqual(c, '\n', 'a raw line feed in a label value');
      value += c;
      j++;
    }
    assert.ok(!(name in out), `label ${name} twice: ${line}`);
    out[name] = value;
    i = j + 1;
    if (i < text.length) {
      assert.equal(text[i], ',', `labels must be separated by commas: ${line}`);
      i++;
    }
  }
  return out;
}

function parseValue(text: string, line: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  assert.match(text, /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, `sample value: ${line}`);
  return Number(text);
}

/**
 * A strict reader of the text format 0.0.4 (no timestamps): every line is `# HELP`, `# TYPE` or a
 * sample of the family declared last; each family's TYPE comes once, before its samples; no
 * series twice; the text ends with a line feed.
 */
export function parseExposition(text: string): Exposition {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a line feed');
  const out: Exposition = { types: new Map(), samples: [] };
  const helped = new Set<string>();
  const series = new Set<string>();
  let current = '';
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment as unknown as [string, string, string, string];
      assert.match(name, metricName, line);
      if (kind === 'HELP') {
        assert.ok(!helped.has(name), `HELP of ${name} twice`);
        helped.add(name);
        assert.doesNotMatch(rest.replace(/\\\\/g, ''), /\\([^n]|$)/, `HELP escapes only \\\\ and \\n: ${line}`);
      } else {
        assert.ok(!out.types.has(name), `TYPE of ${name} twice`);
        assert.ok(types.has(rest), `unknown type: ${line}`);
        out.types.set(name, rest);
        current = name;
      }
      continue;
    }
    assert.ok(!line.startsWith('#'), `a comment that is neither HELP nor TYPE: ${line}`);
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${JSON.stringify(line)}`);
    const [, name, labelText, value] = m as unknown as [string, string, string | undefined, string];
    assert.equal(name, current, `sample of ${name} outside its family (after TYPE ${current})`);
    const key = `${name}{${labelText ?? ''}}`;
    assert.ok(!series.has(key), `series twice: ${key}`);
    series.add(key);
    out.samples.push({ name, labels: parseLabels(labelText ?? '', line), value: parseValue(value, line) });
  }
  return out;
}

/** The one sample of `name` whose labels include `labels`; fails when there is none or several. */
export function sampleOf(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = e.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.equal(found.length, 1, `${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]!.value;
}

export function hasSample(e: Exposition, name: string, labels: Record<string, string> = {}): boolean {
  return e.samples.some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
