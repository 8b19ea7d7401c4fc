/** The install line's downloads; guests reach them on a private site too (http/gates.ts). */
export const agentInstallRoutes = {
  script: '/api/agent/install.sh',
  bundle: '/api/agent/komari-agent.cjs',
  runtime: '/api/agent/node',
} as const;
