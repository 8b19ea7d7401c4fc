import type { AgentConfig } from './config.ts';
import { runExec } from './tasks/exec.ts';
import { FileManager } from './tasks/files/manager.ts';
import { runPing } from './tasks/ping.ts';
import { startupConfigOf } from './tasks/startup-config.ts';
import { openTerminal } from './tasks/terminal.ts';
import type { Logger } from './transport/log.ts';
import type { TaskHandlers } from './transport/runner.ts';

/**
 * The tasks the server can ask for, wired to the settings. `--disable-web-ssh` turns off every
 * form of remote control: exec, the terminal, the file manager and version switching.
 * `pingBinary` replaces `ping` from PATH for icmp probes (tests run without one).
 */
export function handlersFor(config: AgentConfig, log: Logger, o: { pingBinary?: string } = {}): TaskHandlers {
  const disabled = config.disableWebSsh;
  const family = config.preferIpVersion === '4' ? 4 : config.preferIpVersion === '6' ? 6 : undefined;
  const files = new FileManager({ disabled, fileRoot: config.fileRoot, insecure: config.ignoreUnsafeCert, ...(family ? { family } : {}) });
  return {
    exec: (command) => runExec(command, { disabled }),
    ping: (type, target) => runPing(type, target, { log: (m) => log.debug(m), ...(o.pingBinary ? { pingBinary: o.pingBinary } : {}) }),
    terminal: (r) =>
      openTerminal({ ...r, disabled, ignoreUnsafeCert: config.ignoreUnsafeCert, log: (m) => log.warn(m) }),
    file: (op, ctx) => files.run(op, ctx),
    startupConfig: () => startupConfigOf(config),
    switchVersion: (version) => log.info(switchVersionLine(disabled, version)),
  };
}

/** Komari's line when remote control is off (komari-1.5.md §1.5); otherwise why nothing happens. */
export function switchVersionLine(disabled: boolean, version: string): string {
  if (disabled) return 'Ignoring v2 switch version request because remote control is disabled';
  const shown = JSON.stringify(version.slice(0, 64));
  return `Ignoring v2 switch version request (${shown}): komari-ts agents do not update themselves; install the new version by hand`;
}

