// How a channel kind and a channel read on screen. Kinds are the server's names (Komari's sender
// names among them, `Server酱³` included); known ones get words in the admin's language, an
// unknown one (a newer server's) is shown as sent.
import type { ChannelWire } from '@komari-ts/protocol';
import type { FieldWords } from '../sso/sso-fields.tsx';

interface Words {
  exists(key: string): boolean;
  t(key: string): string;
}

/** The sender fields' words live in this page's namespace (fields.*, hints.*, providerHints.*). */
export const channelFieldWords: FieldWords = { ns: 'admin-alerts', prefix: 'channel' };
export const senderFieldWords: FieldWords = { ns: 'admin-alerts', prefix: 'sender' };

export function kindLabel(i18n: Words, kind: string): string {
  const key = `admin-alerts:kinds.${kind}`;
  return i18n.exists(key) ? i18n.t(key) : kind;
}

/** Channel id 0 is Komari's one active sender, not a row of the channel list. */
export const komariSenderId = 0;

/** id → name for the channel choices and the history; 0 is Komari's sender. */
export function channelNamer(i18n: Words, channels: readonly ChannelWire[] | undefined): (id: number) => string {
  const names = new Map((channels ?? []).map((c) => [c.id, c.name]));
  return (id) => (id === komariSenderId ? i18n.t('admin-alerts:channels.komariSender') : (names.get(id) ?? `#${id}`));
}
