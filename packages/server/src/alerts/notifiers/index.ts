import { bark } from './bark.ts';
import type { NotifierDef } from './types.ts';

/**
 * Every channel kind, Komari's senders first in Komari's order (the message-sender schema map
 * lists them in this order). A new kind is one file beside this one and one line here.
 */
export const notifiers: readonly NotifierDef[] = [bark] as unknown as NotifierDef[];

const byKind = new Map(notifiers.map((n) => [n.kind, n]));

export function notifierOf(kind: string): NotifierDef | undefined {
  return byKind.get(kind);
}
