import { boundedProbeMessage, type ProbeErrorCode, type ProbeErrorWire } from '@komari-ts/protocol/probe-error';

/**
 * Thrown by a probe that could not run at all (no `ping`, no permission, a name that does not
 * resolve), as opposed to one that ran and got no answer, which returns -1. runPing turns it into
 * -1 plus the `probe_error` the server shows the admin.
 */
export class ProbeFailure extends Error {
  readonly code: ProbeErrorCode;

  constructor(code: ProbeErrorCode, detail: string) {
    super(boundedProbeMessage(detail));
    this.code = code;
  }

  toWire(): ProbeErrorWire {
    return this.message ? { code: this.code, message: this.message } : { code: this.code };
  }
}

/** The first line of a program's error output that says something, for a ProbeFailure's detail. */
export function firstLine(text: string): string {
  // stderr can be up to execFile's 1 MiB buffer; the detail is cut far shorter anyway
  return text.slice(0, 4096).split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
}
