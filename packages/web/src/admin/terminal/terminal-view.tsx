// xterm.js bound to one terminal connection: it fills its box, follows the page's light/dark
// look, and tells the agent its size whenever the box changes.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { TerminalConnection, type ConnectionEvents } from './terminal-connection.ts';
import { applyXtermSettings, loadXtermSettings } from './xterm-settings.ts';
import { watchPageTheme, xtermTheme } from './xterm-theme.ts';

interface Props {
  uuid: string;
  code: string;
  /** a kept session id to re-attach to (a reload), instead of opening a new session */
  requestId?: string;
  events: Pick<ConnectionEvents, 'status'>;
  /** receives the function that types into the session (the key bar uses it) */
  bindInput: (send: ((data: string) => void) | undefined) => void;
  /** receives the function that ends the session (the bar's end button) */
  bindEnd: (end: (() => void) | undefined) => void;
}

/** Phones get a smaller font so a usable number of columns fits. */
const fontSize = () => (window.innerWidth < 600 ? 12 : 14);

export function TerminalView({ uuid, code, requestId, events, bindInput, bindEnd }: Props) {
  const { t } = useTranslation('admin-terminal');
  const box = useRef<HTMLDivElement>(null);
  // The latest callbacks, without reopening the socket when the parent re-renders.
  const latest = useRef({ events, bindInput, bindEnd, t });
  latest.current = { events, bindInput, bindEnd, t };

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
    const conn = new TerminalConnection(uuid, { code, requestId }, {
      output: (data) => term.write(data),
      status: (s, reason) => latest.current.events.status(s, reason),
      // on a line of its own, in yellow, so it is not taken for the shell's output
      line: (key, values) => term.write(`\r\n\x1b[33m${latest.current.t(key, values ?? {})}\x1b[0m\r\n`),
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
    latest.current.bindEnd(() => conn.end());
    return () => {
      latest.current.bindInput(undefined);
      latest.current.bindEnd(undefined);
      settings.abort();
      unwatch();
      resizeObserver.disconnect();
      typed.dispose();
      // Leaving the terminal inside the app ends its session (the shell would otherwise wait
      // out the server's 60-s re-attach grace). A reload or a closed tab never gets here: the
      // socket just drops, so a reload of this tab re-attaches by the id kept in sessionStorage.
      conn.end();
      term.dispose();
    };
  }, [uuid, code, requestId]);

  return <div ref={box} className="terminal-box" data-testid="terminal" />;
}
