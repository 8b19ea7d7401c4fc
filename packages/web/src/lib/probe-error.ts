// Why a ping probe could not run (komari-ts's `probe_error`, see @komari-ts/protocol/probe-error),
// as the admin ping list and the node page show it: a stable code turned into text here, in the
// reader's language; the agent's own detail (English, admins only) goes into a tooltip.
import type { TFunction } from 'i18next';
import { isProbeErrorCode, type ProbeErrorCode } from '@komari-ts/protocol/probe-error';

/** `probe_error` as the server sends it: the code for everyone, the rest to admins. */
export interface ProbeErrorView {
  code: string;
  message?: string;
  since?: string;
  at?: string;
}

/** A code a newer server might send is shown as `other`, never as a raw key. */
export function probeCode(code: string): ProbeErrorCode {
  return isProbeErrorCode(code) ? code : 'other';
}

export function probeReason(t: TFunction, code: string): string {
  return t(`probe-errors:codes.${probeCode(code)}`);
}

/** The tooltip: what to do about it, then the agent's detail when the caller may see it. */
export function probeDetail(t: TFunction, e: ProbeErrorView): string {
  const hint = t(`probe-errors:hints.${probeCode(e.code)}`);
  return e.message ? `${hint}\n${e.message}` : hint;
}
