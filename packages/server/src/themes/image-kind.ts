/**
 * The image formats an uploaded favicon may be, told by their first bytes (magic numbers), with
 * the Content-Type it is served with. SVG is not among them: it is a document that can carry
 * scripts, and `/favicon.ico` is on this origin.
 */
const kinds: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/x-icon', test: (b) => b.length >= 4 && b[0] === 0 && b[1] === 0 && (b[2] === 1 || b[2] === 2) && b[3] === 0 },
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/gif', test: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/jpeg', test: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'image/bmp', test: (b) => b.length >= 14 && b.subarray(0, 2).toString('latin1') === 'BM' },
];

/** The Content-Type of the image these bytes start, or undefined when they are no image we take. */
export function imageType(bytes: Buffer): string | undefined {
  return kinds.find((k) => k.test(bytes))?.type;
}
