// Readers of deploy/'s Dockerfile and systemd unit, small enough to be exact about what they accept.

export interface DockerInstruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's instructions by stage (each FROM starts one), continuation lines joined, comments dropped. */
export function dockerStages(text: string): DockerInstruction[][] {
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const stages: DockerInstruction[][] = [];
  const preamble: DockerInstruction[] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    const ins = { keyword: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, ' ') };
    if (ins.keyword === 'FROM') stages.push([]);
    (stages.at(-1) ?? preamble).push(ins);
  }
  if (stages.length > 0) stages[0]!.unshift(...preamble);
  return stages;
}

/** The `ARG NAME=default` values of a Dockerfile's instructions. */
export function dockerArgs(instructions: DockerInstruction[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of instructions) {
    const m = i.keyword === 'ARG' ? /^(\w+)=(.*)$/.exec(i.args) : null;
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** `ENV A=1 B=2` pairs (the key=value form only: the one the Dockerfile uses). */
export function dockerEnv(instructions: DockerInstruction[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.keyword === 'ENV')) {
    for (const pair of i.args.split(' ')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`ENV ${i.args}: only KEY=value pairs are read here`);
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return out;
}

/** A systemd unit's `Key=value` lines of one [Section], keys repeated in order. */
export function unitSection(text: string, section: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      current = head[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    if (current === section && eq > 0) out.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return out;
}
