import type { Notice } from './types.ts';

/**
 * The text for a channel that has no title field of its own (Discord, Slack, DingTalk, …): the
 * title on the first line, as Telegram shows it in bold. Empty text is an error in every Komari
 * sender; the same rule holds here.
 */
export function textWithTitle(notice: Notice): string {
  if (notice.text === '') throw new Error('message is empty');
  return notice.title ? `${notice.title}\n${notice.text}` : notice.text;
}

/** Cuts to at most `max` characters (code points, so an emoji is never split), ending in `…`. */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The nodes an event names, as Komari's `{{clients}}` prints them: display names (uuid when blank). */
export function clientNames(notice: Notice): string {
  return notice.event.clients.map((c) => (c.name.trim() === '' ? c.uuid : c.name)).join(', ');
}
