/** The agent's log: one line per event on stderr; the transport never throws for a bad server, it logs. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const levels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof levels)[number];

export function isLogLevel(v: string): v is LogLevel {
  return (levels as readonly string[]).includes(v);
}

/** Lines like `2026-01-02T03:04:05.678Z WARN report failed: …`, at `level` and above. */
export function stderrLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = levels.indexOf(level);
  const at = (name: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (levels.indexOf(name) >= min) write(`${new Date().toISOString()} ${name.toUpperCase()} ${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The message of anything thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
