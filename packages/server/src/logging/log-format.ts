/** How log lines are written: one JSON object a line (pino's), or a short line for a terminal. */
export const logFormats = ['pretty', 'json'] as const;

export type LogFormat = (typeof logFormats)[number];

/**
 * KOMARI_LOG_FORMAT when set; otherwise pretty when the lines go to a terminal, JSON when they go
 * to a pipe, a file or a journal (a machine reads them there).
 */
export function chooseLogFormat(configured: LogFormat | undefined, destinationIsTty: boolean): LogFormat {
  return configured ?? (destinationIsTty ? 'pretty' : 'json');
}
