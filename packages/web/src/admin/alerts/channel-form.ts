// How a new channel is described in the add dialog: a form drawn from its kind's field list, or a
// pasted Apprise/Shoutrrr-style URL the server turns into a kind and config.

export type ChannelSource = 'form' | 'url';

/** A pasted URL must at least look like scheme://…; what the scheme needs is the server's call. */
export const looksLikeUrl = (text: string) => /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text.trim());
