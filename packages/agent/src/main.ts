#!/usr/bin/env node
import { createLinuxCollector } from './collectors/index.ts';
import { type AgentConfig, ConfigError, loadAgentConfig, usage } from './config.ts';
import { handlersFor } from './handlers.ts';
import { AgentTransport } from './transport/agent-transport.ts';
import { errorText, isLogLevel, stderrLogger } from './transport/log.ts';

function configOrExit(argv: string[], env: NodeJS.ProcessEnv): AgentConfig {
  try {
    return loadAgentConfig(argv, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${err.message}\n\n${usage}`);
    process.exit(2);
  }
}

/**
 * The agent's composition root: config (flags < AGENT_* < JSON file), the Linux collector, the
 * task handlers and the transport. SIGTERM and SIGINT stop it cleanly (exit 0), and so does the
 * end of the IPC channel when a parent started it with one (the server's local agent); a bad setting
 * exits 2 with a message naming it. `AGENT_LOG_LEVEL` (komari-ts) sets debug … error, or silent.
 */
function main(argv: string[], env: NodeJS.ProcessEnv): void {
  if (argv.includes('-h') || argv.includes('--help')) return void console.log(usage);
  const config = configOrExit(argv, env);
  const level = env.AGENT_LOG_LEVEL ?? 'info';
  const log = stderrLogger(isLogLevel(level) ? level : 'info');
  // Nowhere left to log (the parent that read stderr is gone): drop the lines, keep reporting.
  process.stderr.on('error', () => {});
  // A bug must not take the agent down: log it and keep reporting.
  process.on('uncaughtException', (err) => log.error(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log.error(`unhandled rejection: ${errorText(err)}`));
  const collector = createLinuxCollector({
    procRoot: config.hostProc || undefined,
    includeNics: config.includeNics,
    excludeNics: config.excludeNics,
    includeMountpoints: config.includeMountpoints,
    monthRotate: config.monthRotate,
    memoryIncludeCache: config.memoryIncludeCache,
    memoryReportRawUsed: config.memoryExcludeBcf,
  });
  const transport = new AgentTransport({ config, collector, handlers: handlersFor(config, log), log });
  log.info(`reporting to ${config.endpoint} every ${config.interval} s (protocol v${config.protocolVersion})`);
  if (config.fileRoot && !config.disableWebSsh) log.info(`file manager confined to ${config.fileRoot}`);
  transport.start();
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info(`${why}: stopping`);
    transport.stop().then(
      () => process.exit(0),
      (err: unknown) => (log.error(`stop failed: ${errorText(err)}`), process.exit(1)),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started by a parent with an IPC channel (the server's local agent): stop when it is gone.
  if (process.channel) process.once('disconnect', () => stop('the parent process is gone'));
}

main(process.argv.slice(2), process.env);
