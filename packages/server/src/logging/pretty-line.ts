import { logLimits } from './limits.ts';

export type PrettyLimits = { [K in keyof typeof logLimits.pretty]: number };

export interface PrettyOptions {
  /** ANSI colours on the level (only for a terminal) */
  color: boolean;
  limits?: PrettyLimits;
}

const levels: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '\x1b[90m' },
  20: { label: 'DEBUG', color: '\x1b[90m' },
  30: { label: 'INFO ', color: '\x1b[32m' },
  40: { label: 'WARN ', color: '\x1b[33m' },
  50: { label: 'ERROR', color: '\x1b[31m' },
  60: { label: 'FATAL', color: '\x1b[35m' },
};
const reset = '\x1b[0m';
const errorLevel = 50;

/** pino's own fields: shown in the line's head, or not at all (a terminal knows its host and pid) */
const headFields = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v', 'err']);

// C0 and C1 controls: an agent's stderr or a request URL must not drive the operator's terminal.
const controls = /[\u0000-\u001f\u007f-\u009f]/g; // eslint-disable-line no-control-regex
const hasControl = /[\u0000-\u001f\u007f-\u009f]/; // eslint-disable-line no-control-regex
const escapeControl = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A value as `key=value` shows it: bare (a URL keeps its `?a=b`) unless it has a space, quote or control. */
function shown(value: unknown, max: number): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = cut(text, max);
  if (typeof value === 'string' && (short === '' || /[\s"\\]/.test(short) || hasControl.test(short))) {
    return JSON.stringify(short).replace(controls, escapeControl);
  }
  return short.replace(controls, escapeControl);
}

/** The fields after the message; fastify's request and response under the short names a reader expects. */
function fieldsOf(o: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(o)) {
    if (headFields.has(key) || value === undefined) continue;
    if (key === 'req' && value && typeof value === 'object') {
      const r = value as Record<string, unknown>;
      out.push(['method', r.method], ['url', r.url], ['ip', r.remoteAddress]);
    } else if (key === 'res' && value && typeof value === 'object') {
      out.push(['status', (value as Record<string, unknown>).statusCode]);
    } else if (key === 'responseTime' && typeof value === 'number') {
      out.push(['ms', Math.round(value * 10) / 10]);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value)) out.push([`${key}.${sub}`, v]);
    } else {
      out.push([key, value]);
    }
  }
  return out.filter(([, v]) => v !== undefined);
}

function clock(time: unknown): string {
  const d = new Date(typeof time === 'number' ? time : Date.now());
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The error's stack under an error-level line, indented, without its first line (the message). */
function stackOf(err: Record<string, unknown>, limits: PrettyLimits): string {
  if (typeof err.stack !== 'string') return '';
  const lines = err.stack.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
  const kept = lines.slice(0, limits.maxStackLines).map((l) => `    ${cut(l, limits.maxValueChars).replace(controls, escapeControl)}\n`);
  return kept.join('') + (lines.length > kept.length ? `    … ${lines.length - kept.length} more\n` : '');
}

/**
 * One pino JSON line as a terminal line: `HH:MM:SS.mmm LEVEL message key=value …` (local time),
 * an error's message as `err=…` and, at error level, its stack below. A line that is not a JSON
 * object is returned as it came.
 */
export function prettyLine(json: string, opts: PrettyOptions): string {
  const limits = opts.limits ?? logLimits.pretty;
  let o: unknown;
  try {
    o = JSON.parse(json);
  } catch {
    return json;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return json;
  const rec = o as Record<string, unknown>;
  const level = levels[Number(rec.level)] ?? { label: String(rec.level ?? '?').toUpperCase().padEnd(5), color: '' };
  const label = opts.color && level.color ? `${level.color}${level.label}${reset}` : level.label;
  const err = rec.err && typeof rec.err === 'object' ? (rec.err as Record<string, unknown>) : undefined;
  const fields = fieldsOf(rec);
  if (err) fields.unshift(['err', err.message ?? err.type]);
  const shownFields = fields.slice(0, limits.maxFields).map(([k, v]) => ` ${k}=${shown(v, limits.maxValueChars)}`);
  const more = fields.length > shownFields.length ? ` +${fields.length - shownFields.length}` : '';
  const msg = typeof rec.msg === 'string' ? rec.msg.replace(controls, escapeControl) : '';
  const stack = err && Number(rec.level) >= errorLevel ? stackOf(err, limits) : '';
  return `${clock(rec.time)} ${label} ${msg}${shownFields.join('')}${more}\n${stack}`;
}
