import { ConfigError, sendableConfigOf, storedConfigOf } from './notifiers/config.ts';
import { notifiers } from './notifiers/index.ts';
import type { NotifierDef } from './notifiers/types.ts';

const byScheme = new Map<string, NotifierDef>();
for (const n of notifiers) for (const s of n.url?.schemes ?? []) byScheme.set(s, n);

/**
 * A token in the host position may hold a `:` that is not a port (Telegram's `123456:ABC…`); the
 * URL parser would refuse it. Such a colon (no `@` before it, not an IPv6 literal, not followed by
 * digits only) is
 * escaped, and the parsers decode it back.
 */
function escapeHostColon(text: string): string {
  const m = /^([^:]+:\/\/)([^/?#]*)(.*)$/s.exec(text);
  if (!m) return text;
  const [, head, authority, rest] = m as unknown as [string, string, string, string];
  if (authority.includes('@') || authority.startsWith('[') || !authority.includes(':') || /:\d*$/.test(authority)) return text;
  return `${head}${authority.replace(/:/g, '%3A')}${rest}`;
}

/**
 * The channel an Apprise/Shoutrrr-style URL stands for (`tgram://token/chat`, `ntfys://host/topic`):
 * its kind and the config fields the URL gives, checked against the kind's schema. Errors name the
 * scheme or the missing part, never the URL itself: it holds the channel's secrets.
 */
export function channelFromUrl(text: string): { kind: string; config: Record<string, unknown> } {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text.trim());
  if (!m) throw new Error('not a channel URL: it must start with a scheme such as tgram:// or ntfys://');
  const scheme = m[1]!.toLowerCase();
  const def = byScheme.get(scheme);
  if (!def?.url) throw new Error(`unknown channel URL scheme "${scheme}" (known: ${[...byScheme.keys()].join(', ')})`);
  let url: URL;
  try {
    url = new URL(escapeHostColon(text.trim()));
  } catch {
    throw new Error(`malformed ${scheme}:// URL`);
  }
  let config: Record<string, unknown>;
  try {
    config = def.url.parse(url);
    storedConfigOf(def, config);
    sendableConfigOf(def, config);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${scheme}:// URL: ${err instanceof ConfigError ? `gives a bad config (${why})` : why}`, { cause: err });
  }
  return { kind: def.kind, config };
}
