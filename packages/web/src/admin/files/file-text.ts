// Text in the editor and base64 on the wire: UTF-8 both ways, and bytes that are not UTF-8 are
// refused (saving them back as text would corrupt the file).
export function decodeText(base64: string): string | undefined {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeText(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  // in slices: String.fromCharCode(...bytes) overflows the call stack on a few MiB
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
