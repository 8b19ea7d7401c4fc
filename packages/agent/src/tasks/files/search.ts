import { open, opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type Args, bool, str } from './args.ts';
import { FileOpError } from './errors.ts';
import { fileLimits } from './limits.ts';
import type { FileScope } from './scope.ts';

export interface SearchMatch {
  path: string;
  line: number;
  text?: string;
  is_dir: boolean;
}

/**
 * Names (or, with `content`, the first matching line of each regular file ≤ 10 MiB) containing
 * `query`, case-insensitive, under `path` (komari-1.5.md §2.3). Links are never followed, so the
 * walk stays inside the folder it started in. Stops at 500 matches or after the time bound, and
 * says so with `limited`.
 */
export async function search(scope: FileScope, args: Args, signal: AbortSignal): Promise<{ matches: SearchMatch[]; limited: boolean }> {
  const query = str(args, 'query');
  if (query === '') throw new FileOpError('query is required');
  const withContent = bool(args, 'content');
  const start = await scope.resolve(str(args, 'path'));
  const lower = query.toLowerCase();
  const deadline = Date.now() + fileLimits.searchTimeMs;
  const matches: SearchMatch[] = [];
  const full = () => matches.length >= fileLimits.searchMatches;
  const over = () => full() || Date.now() > deadline || signal.aborted;
  // depth-first with an explicit stack: a deep tree cannot overflow the call stack
  const stack: string[] = [start];
  await opendir(start).then((d) => d.close()); // the start must be a readable folder: say so if not
  while (stack.length > 0 && !over()) {
    const dir = stack.pop()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      continue; // unreadable below the start: skipped, as in Go
    }
    try {
      for await (const entry of handle) {
        if (over()) break;
        const path = join(dir, entry.name);
        const isDir = entry.isDirectory();
        if (isDir) stack.push(path);
        if (!withContent) {
          if (entry.name.toLowerCase().includes(lower)) matches.push({ path, line: 0, is_dir: isDir });
        } else if (entry.isFile()) {
          const hit = await firstMatchingLine(path, lower);
          if (hit) matches.push({ path, line: hit.line, text: hit.text, is_dir: false });
        }
      }
    } finally {
      await handle.close().catch(() => {});
    }
  }
  return { matches, limited: over() && !signal.aborted };
}

/** Reads the file in blocks, line by line; a line longer than the read buffer is looked at in parts. */
async function firstMatchingLine(path: string, lower: string): Promise<{ line: number; text: string } | undefined> {
  try {
    if ((await stat(path)).size > fileLimits.searchContentMaxBytes) return undefined;
    const handle = await open(path, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const decoder = new StringDecoder('utf8');
      let carry = '';
      let line = 0;
      let total = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        total += bytesRead;
        // grew past the bound since the stat: stop rather than read on
        if (total > fileLimits.searchContentMaxBytes) return undefined;
        const text = carry + (bytesRead > 0 ? decoder.write(buf.subarray(0, bytesRead)) : decoder.end());
        const lines = text.split('\n');
        carry = bytesRead > 0 ? lines.pop()! : '';
        if (bytesRead === 0 && carry === '' && lines.at(-1) === '') lines.pop();
        for (const l of lines) {
          line++;
          if (l.toLowerCase().includes(lower)) return { line, text: l.replace(/\r$/, '').slice(0, fileLimits.searchTextChars) };
        }
        if (bytesRead === 0) return undefined;
        // a very long line keeps only what a match could still straddle
        if (carry.length > 1024 * 1024) carry = carry.slice(-lower.length);
      }
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
