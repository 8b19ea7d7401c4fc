import type { TerminalPeer } from '../../packages/server/test/helpers/terminal.ts';
import type { V2SocketAgent } from '../../packages/server/test/helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The next frame on the agent's main socket that `match` accepts; report echoes and others are skipped. */
export async function frameWhere(agent: V2SocketAgent, match: (f: any) => boolean): Promise<any> {
  for (;;) {
    const f = await agent.next(5000);
    if (match(f)) return f;
  }
}

/** Binary frames from the browser, joined, until they contain `text`. */
export async function typedInto(peer: TerminalPeer, text: string): Promise<string> {
  let seen = '';
  while (!seen.includes(text)) {
    const f = await peer.next(5000);
    if (f.binary) seen += f.text;
  }
  return seen;
}
