import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from '../../server/test/helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { browserTerminal, terminalRequestId, type TerminalPeer } from '../../server/test/helpers/terminal.ts';
import { V1Agent } from '../../server/test/helpers/v1-agent.ts';
import { openTerminal, terminalUrl, WEB_SSH_DISABLED_TEXT } from '../src/tasks/terminal.ts';

const waiting = '等待被控端连接 waiting for agent...\n';

/** Reads the browser's frames until their text matches; returns everything read. */
async function readUntil(browser: TerminalPeer, pattern: RegExp, ms = 8000): Promise<string> {
  const until = Date.now() + ms;
  let seen = '';
  while (!pattern.test(seen)) {
    const frame = await browser.next(Math.max(1, until - Date.now())).catch(() => undefined);
    if (!frame) assert.fail(`no ${pattern} in the terminal output: ${JSON.stringify(seen)}`);
    seen += frame.text;
  }
  return seen;
}

/**
 * Asks the shell for its size until it is `expected`: the size is applied from outside the shell
 * (stty -F on its pty), so it lands a moment after the resize frame.
 */
async function expectSize(browser: TerminalPeer, expected: string): Promise<void> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    browser.send(Buffer.from('stty size\r'), true);
    const out = await readUntil(browser, /[\r\n](\d+ \d+)\r\n/);
    last = /[\r\n](\d+ \d+)\r\n/.exec(out)![1]!;
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(last, expected);
}

/** True once the process is gone (or a zombie nobody reaps, as in a container without init). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

describe('web terminal, agent side, against a real komari-ts server', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let main: V1Agent;
  let reports: NodeJS.Timeout;

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'agent-terminal-node');
    main = await V1Agent.connect(s, node.token);
    main.report();
    reports = setInterval(() => main.report(), 3000); // the server drops a v1 socket quiet for 11 s
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
  });
  after(async () => {
    clearInterval(reports);
    await main.close();
    await s.dispose();
  });

  /** The admin opens a terminal; the agent gets the request on its main socket and dials in. */
  async function openSession(disabled = false): Promise<{ browser: TerminalPeer; session: Promise<void> }> {
    const browser = await browserTerminal(s, cookie, node.uuid);
    const requestId = await terminalRequestId(main);
    await browser.expectText(waiting);
    const session = openTerminal({ endpoint: `${s.url}/`, token: node.token, requestId, disabled });
    return { browser, session };
  }

  it('runs a shell on a real pty: keystrokes in, output out', async () => {
    const { browser, session } = await openSession();
    browser.send(Buffer.from('echo komari-$((6*7)); echo term=$TERM; tty\r'), true);
    const out = await readUntil(browser, /\/dev\/pts\/\d+/);
    assert.match(out, /komari-42/);
    assert.match(out, /term=xterm-256color/);
    browser.closeTerminal(); // a browser that leaves without it only suspends the session (Komari 1.5)
    await session;
  });

  it('applies resize JSON to the pty, writes input JSON, ignores other JSON', async () => {
    const { browser, session } = await openSession();
    await expectSize(browser, '24 80'); // the official agent's initial size
    browser.send('{"type":"resize","cols":100,"rows":30}', false);
    await expectSize(browser, '30 100');
    browser.send('{"type":"resize","cols":0,"rows":50}', false); // applied only when both are > 0
    await new Promise((r) => setTimeout(r, 300));
    browser.send(Buffer.from('stty size\r'), true);
    assert.match(await readUntil(browser, /[\r\n]\d+ \d+\r\n/), /[\r\n]30 100\r\n/);
    browser.send('{"type":"heartbeat","timestamp":"2025-06-01T00:00:00.000Z"}', false);
    browser.send('{"type":"input","input":"echo in-$((1+1))\\r"}', false);
    const out = await readUntil(browser, /in-2/);
    assert.doesNotMatch(out, /heartbeat/);
    browser.send('echo raw-$((2+3))\r', false); // non-JSON text is typed as is
    await readUntil(browser, /raw-5/);
    browser.closeTerminal(); // a browser that leaves without it only suspends the session (Komari 1.5)
    await session;
  });

  it('ending the session from the browser ends the shell process', async () => {
    const { browser, session } = await openSession();
    browser.send(Buffer.from('echo pid=$$\r'), true);
    const shell = Number(/pid=(\d+)/.exec(await readUntil(browser, /pid=\d+/))![1]);
    assert.equal(gone(shell), false);
    browser.closeTerminal(); // a browser that leaves without it only suspends the session (Komari 1.5)
    await session;
    await eventually(() => gone(shell), 3000);
  });

  it('a foreground job that ignores Ctrl-C and SIGTERM is gone too', async () => {
    const { browser, session } = await openSession();
    browser.send(Buffer.from('echo pid=$$; sh -c \'trap "" INT TERM; echo job=$$; exec sleep 300\'\r'), true);
    const m = /pid=(\d+)\s+job=(\d+)/.exec(await readUntil(browser, /job=\d+/))!;
    const [shell, job] = [Number(m[1]), Number(m[2])];
    browser.closeTerminal(); // a browser that leaves without it only suspends the session (Komari 1.5)
    await session;
    await eventually(() => gone(shell) && gone(job), 9000);
  });

  it('the shell exiting closes the admin socket', async () => {
    const { browser, session } = await openSession();
    browser.send(Buffer.from('exit\r'), true);
    assert.equal((await browser.closed).code, 1000);
    await session;
  });

  it('with web ssh disabled: the notice, then the socket closes', async () => {
    const { browser, session } = await openSession(true);
    const frame = await browser.next();
    assert.equal(frame.text, WEB_SSH_DISABLED_TEXT);
    assert.equal((await browser.closed).code, 1000);
    await session;
  });

  it('gives up quietly when the request id is unknown', async () => {
    const logs: string[] = [];
    await openTerminal({ endpoint: s.url, token: node.token, requestId: 'x'.repeat(32), log: (m) => logs.push(m) });
    assert.match(logs.join('\n'), /could not connect/);
  });
});

describe('terminal URL', () => {
  it('derives ws(s) from the endpoint, keeps a path prefix, escapes the query', () => {
    assert.equal(terminalUrl('https://p.example/komari/', 't k', 'ID'), 'wss://p.example/komari/api/clients/terminal?token=t%20k&id=ID');
    assert.equal(terminalUrl('http://127.0.0.1:25774', 'T', 'I'), 'ws://127.0.0.1:25774/api/clients/terminal?token=T&id=I');
  });
});
