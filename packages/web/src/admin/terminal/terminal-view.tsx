// xterm.js bound to one terminal connection: it fills its box, follows the page's light/dark
// look, and tells the agent its size whenever the box changes.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { TerminalConnection, type ConnectionEvents } from './terminal-connection.ts';
import { applyXtermSettings, loadXtermSettings } from './xterm-settings.ts';
import { watchPageTheme, xtermTheme } from './xterm-theme.ts';

interface Props {
  uuid: string;
  code: string;
  events: Pick<ConnectionEvents, 'status'>;
  /** receives the function that types into the session (the key bar uses it) */
  bindInput: (send: ((data: string) => void) | undefined) => void;
}

/** Phones get a smaller font so a usable number of columns fits. */
const fontSize = () => (window.innerWidth < 600 ? 12 : 14);

export function TerminalView({ uuid, code, events, bindInput }: Props) {
  const box = useRef<HTMLDivElement>(null);
  // The latest callbacks, without reopening the socket when the parent re-renders.
  const latest = useRef({ events, bindInput });
  latest.current = { events, bindInput };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: "ui-monospace, 'Cascadia Mono', 'SFMono-Regular', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace",
      fontSize: fontSize(),
      // at 1.0 some monospace fonts lose the underscore below the cell
      lineHeight: 1.2,
      scrollback: 5000,
      theme: xtermTheme(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const conn = new TerminalConnection(uuid, code, {
      output: (data) => term.write(data),
      status: (s, reason) => latest.current.events.status(s, reason),
    });
    const refit = () => {
      fit.fit();
      conn.resize(term.cols, term.rows);
    };
    refit();
    term.focus();
    const typed = term.onData((d) => conn.input(d));
    const resizeObserver = new ResizeObserver(refit);
    resizeObserver.observe(el);
    let ownTheme = false;
    const unwatch = watchPageTheme(() => {
      if (!ownTheme) term.options.theme = xtermTheme();
    });
    const settings = new AbortController();
    void loadXtermSettings(settings.signal).then((s) => {
      if (!s || settings.signal.aborted) return;
      ownTheme = applyXtermSettings(term, el, s);
      refit();
    });
    latest.current.bindInput((d) => {
      conn.input(d);
      term.focus();
    });
    return () => {
      latest.current.bindInput(undefined);
      settings.abort();
      unwatch();
      resizeObserver.disconnect();
      typed.dispose();
      conn.close();
      term.dispose();
    };
  }, [uuid, code]);

  return <div ref={box} className="terminal-box" data-testid="terminal" />;
}
