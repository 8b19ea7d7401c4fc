const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes on a character boundary (a surrogate pair is never
 * split). A cut text is a fresh copy: `slice` would give a V8 sliced string that keeps the whole
 * original alive, so a 4 KiB cut of a 1 MiB message would still pin the megabyte.
 */
export function cutUtf8(text: string, maxBytes: number): string {
  // a UTF-16 unit is at most 3 UTF-8 bytes: short texts never need the encoder
  if (text.length * 3 <= maxBytes) return text;
  const into = new Uint8Array(maxBytes);
  // encodeInto writes whole characters only and stops when the buffer is full
  const { read, written } = encoder.encodeInto(text, into);
  if (read === text.length) return text;
  return decoder.decode(into.subarray(0, written));
}
