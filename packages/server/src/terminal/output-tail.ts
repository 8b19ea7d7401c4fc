/** Past this many chunks the tail is joined into one, so a flood of tiny frames costs bytes, not objects. */
const maxChunks = 1024;

/**
 * The newest `maxBytes` of agent output produced while no browser was attached (a suspended
 * session), replayed when the browser re-attaches. Older output is dropped; a chunk larger than
 * the bound keeps only its end, as a terminal shows only its end.
 */
export class OutputTail {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  push(data: Buffer): void {
    if (this.#maxBytes <= 0) return;
    const chunk = data.length > this.#maxBytes ? data.subarray(data.length - this.#maxBytes) : data;
    this.#chunks.push(Buffer.from(chunk));
    this.#bytes += chunk.length;
    while (this.#bytes > this.#maxBytes) {
      const first = this.#chunks[0]!;
      const over = this.#bytes - this.#maxBytes;
      if (first.length <= over) {
        this.#chunks.shift();
        this.#bytes -= first.length;
      } else {
        this.#chunks[0] = first.subarray(over);
        this.#bytes -= over;
      }
    }
    if (this.#chunks.length > maxChunks) this.#chunks = [Buffer.concat(this.#chunks)];
  }

  /** Everything kept, emptied. */
  take(): Buffer[] {
    const out = this.#chunks;
    this.#chunks = [];
    this.#bytes = 0;
    return out;
  }
}
