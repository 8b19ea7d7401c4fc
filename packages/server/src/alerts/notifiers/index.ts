import { bark } from './bark.ts';
import { dingtalk } from './dingtalk.ts';
import { discord } from './discord.ts';
import { email } from './email.ts';
import { empty } from './empty.ts';
import { feishu } from './feishu.ts';
import { gotify } from './gotify.ts';
import { matrix } from './matrix.ts';
import { ntfy } from './ntfy.ts';
import { pushover } from './pushover.ts';
import { pushplus } from './pushplus.ts';
import { serverChan3 } from './serverchan3.ts';
import { serverChanTurbo } from './serverchan-turbo.ts';
import { slack } from './slack.ts';
import { telegram } from './telegram.ts';
import type { NotifierDef } from './types.ts';
import { webhook } from './webhook.ts';
import { wecom } from './wecom.ts';

/**
 * Every channel kind, Komari's senders first in Komari's order (the message-sender schema map
 * lists them in this order), then komari-ts's own, then Komari's `empty` last. A new kind is one
 * file beside this one and one line here.
 */
export const notifiers: readonly NotifierDef[] = [
  telegram,
  email,
  webhook,
  bark,
  serverChan3,
  serverChanTurbo,
  ntfy,
  gotify,
  discord,
  slack,
  dingtalk,
  wecom,
  feishu,
  pushplus,
  pushover,
  matrix,
  empty,
] as unknown as NotifierDef[];

const byKind = new Map(notifiers.map((n) => [n.kind, n]));

export function notifierOf(kind: string): NotifierDef | undefined {
  return byKind.get(kind);
}
