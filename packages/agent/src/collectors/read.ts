import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads /proc files into one reusable buffer. procfs reports a size of 0, so every read runs to
 * EOF; files are small and in memory, so synchronous reads are cheaper than promises here and
 * a tick allocates only the decoded text.
 */
export class ProcReader {
  #buf = Buffer.allocUnsafe(16 * 1024);

  /** The whole file as text; throws when it cannot be opened. */
  text(path: string): string {
    const fd = openSync(path, 'r');
    try {
      let len = 0;
      for (;;) {
        if (len === this.#buf.length) this.#grow();
        const n = readSync(fd, this.#buf, len, this.#buf.length - len, null);
        if (n === 0) break;
        len += n;
      }
      return this.#buf.toString('utf8', 0, len);
    } finally {
      closeSync(fd);
    }
  }

  /** At most the first `max` bytes as text (the aggregate line of /proc/stat, not its interrupts). */
  head(path: string, max: number): string {
    const fd = openSync(path, 'r');
    try {
      if (max > this.#buf.length) max = this.#buf.length;
      const n = readSync(fd, this.#buf, 0, max, null);
      return this.#buf.toString('utf8', 0, n);
    } finally {
      closeSync(fd);
    }
  }

  /** The file as text, or undefined when it does not exist or cannot be read. */
  optional(path: string): string | undefined {
    try {
      return this.text(path);
    } catch {
      return undefined;
    }
  }

  /** Number of lines (newline bytes) without decoding: /proc/net/tcp can be megabytes. */
  countLines(path: string): number {
    const fd = openSync(path, 'r');
    try {
      let lines = 0;
      for (;;) {
        const n = readSync(fd, this.#buf, 0, this.#buf.length, null);
        if (n === 0) return lines;
        for (let i = this.#buf.indexOf(10); i !== -1 && i < n; i = this.#buf.indexOf(10, i + 1)) lines++;
      }
    } finally {
      closeSync(fd);
    }
  }

  #grow(): void {
    const next = Buffer.allocUnsafe(this.#buf.length * 2);
    this.#buf.copy(next);
    this.#buf = next;
  }
}
