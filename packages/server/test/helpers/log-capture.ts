import { Writable } from 'node:stream';

/** The server's log lines as written (pino's JSON, one object a line), kept for assertions. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  #partial = '';

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const text = this.#partial + chunk.toString();
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((l) => l !== ''));
    done();
  }

  /** Everything logged so far as one string (search it for a value that must not appear). */
  get text(): string {
    return this.lines.join('\n') + this.#partial;
  }

  /** The parsed lines whose `msg` includes `text`. */
  matching(text: string): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => String(o.msg ?? '').includes(text));
  }
}
