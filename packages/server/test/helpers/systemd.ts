import { spawnSync } from 'node:child_process';
import { runCommand, type CliResult } from './cli.ts';

/** Whether `systemd-analyze` is on PATH (Debian's systemd package; absent in most containers). */
export function hasSystemdAnalyze(): boolean {
  return spawnSync('sh', ['-c', 'command -v systemd-analyze'], { stdio: 'ignore' }).status === 0;
}

/** `systemd-analyze verify UNIT`: exit 0 and nothing on stderr when systemd finds no fault. */
export function systemdAnalyzeVerify(unitPath: string): Promise<CliResult> {
  return runCommand(['systemd-analyze', 'verify', unitPath], {}, 30_000);
}
