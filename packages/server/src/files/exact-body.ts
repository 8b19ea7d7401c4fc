/** A body longer or shorter than its transfer says (komari-1.5.md §2.5: 400 with the text). */
export class BodyLengthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyLengthError';
  }
}

/**
 * The bytes of `body` as they come, failing once more than `length` arrived or when it ends
 * short. Pulls one piece at a time, so whoever reads this sets the pace of whoever writes it.
 */
export async function* exactBody(body: AsyncIterable<Buffer>, length: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const piece of body) {
    seen += piece.length;
    if (seen > length) throw new BodyLengthError(`transfer body exceeds the expected ${length} bytes`);
    yield piece;
  }
  if (seen < length) throw new BodyLengthError(`transfer body ended early: ${seen} of ${length} bytes`);
}
