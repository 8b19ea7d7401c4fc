import type { z } from 'zod';

/** The event a notice is about, in the form every channel may read (notifications.md §3.1). */
export interface NoticeEvent {
  /** Komari's event name: `Offline`, `Online`, `Alert`, `Traffic`, `Expire`, `Renew`, `Login`, `Test`, … */
  event: string;
  emoji: string;
  /** Komari's `message`; "" when it has none */
  message: string;
  /** Unix ms */
  time: number;
  /** the nodes it names, display name first (tokens and IPs never reach a channel) */
  clients: ReadonlyArray<{ uuid: string; name: string }>;
  /** komari-ts: a firing alert, its resolve, or neither (a test, a login, a reminder) */
  state?: 'firing' | 'resolved' | 'reminder';
}

/** What one channel is asked to deliver. */
export interface Notice {
  /** the title Komari passes to its senders: the event name */
  title: string;
  /** the rendered text (Komari's template, or the channel's own) */
  text: string;
  event: NoticeEvent;
}

export interface SendContext {
  /** aborted when the delivery's time is up (10 s by default): pass it to fetch */
  signal: AbortSignal;
  /** milliseconds left when the send starts, for clients that take a timeout instead of a signal */
  timeoutMs: number;
}

/**
 * One channel kind: its configuration (a zod object, from which the admin form is rendered: see
 * `items.ts`) and one send function. Field metadata goes in `.meta({ required, help, type })`;
 * a `.default()` is what the form pre-fills. A send throws an Error whose message says what went
 * wrong in the service's own words; it never puts a secret of the config into that message.
 */
export interface NotifierDef<C extends z.ZodObject = z.ZodObject> {
  /** the channel kind; for Komari's senders their exact registry name (`Server酱³`) */
  kind: string;
  /** one of Komari's message senders: listed in `GET /api/admin/settings/message-sender` */
  komari: boolean;
  config: C;
  /** config fields never shown in a log line or an error message */
  secretFields: readonly string[];
  send(notice: Notice, config: z.output<C>, ctx: SendContext): Promise<void>;
  /**
   * URL schemes in the style users paste from Apprise/Shoutrrr (`tgram`, `ntfy`, `ntfys`, …) and
   * the config such a URL stands for. Throws an Error naming what is missing.
   */
  url?: { schemes: readonly string[]; parse(url: URL): Record<string, unknown> };
}

/** Helps TypeScript infer the send function's config from the schema. */
export function defineNotifier<C extends z.ZodObject>(def: NotifierDef<C>): NotifierDef<C> {
  return def;
}

/** A failure another attempt cannot fix (nothing configured to send with): it is not retried. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
}
