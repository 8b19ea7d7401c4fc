import type { AgentConfig } from './config.ts';

/**
 * What this agent can be asked to do, sent as `capabilities` in `agent.pull` (komari-1.5.md §1.5)
 * over POST and, once, right after a socket opens. One list for both so they cannot disagree:
 * `--disable-web-ssh` takes away everything that controls the host (exec, terminal, files).
 * `switch_version` is never offered: this agent does not update itself.
 */
const all = ['exec', 'ping', 'terminal', 'file', 'startup_config'] as const;
const remoteControl: ReadonlySet<string> = new Set(['exec', 'terminal', 'file']);

export function capabilitiesOf(config: Pick<AgentConfig, 'disableWebSsh'>): string[] {
  return all.filter((c) => !config.disableWebSsh || !remoteControl.has(c));
}
