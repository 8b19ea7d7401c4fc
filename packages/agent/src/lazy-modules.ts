/**
 * Node modules the agent needs only for some tasks, loaded on first use. An agent that only
 * reports over plain HTTP to an IP never loads them, which keeps ~11 MiB of RSS off it
 * (BENCHMARKS.md, Agent): node:child_process for exec, icmp pings and the terminal; node:dns for
 * host names (wire/resolve.ts); node:http and node:https for http probes; node:tls for https/wss
 * endpoints. A static import would load them at
 * start (the bundler hoists them), and `import()` would start the ES module loader in the built
 * CommonJS file; process.getBuiltinModule does neither.
 */
export const childProcess = () => process.getBuiltinModule('node:child_process');
export const dnsPromises = () => process.getBuiltinModule('node:dns/promises');
export const http = () => process.getBuiltinModule('node:http');
export const https = () => process.getBuiltinModule('node:https');
export const tls = () => process.getBuiltinModule('node:tls');
