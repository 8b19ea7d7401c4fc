import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addNode } from '../../packages/server/test/helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer, type TestServerOptions } from '../../packages/server/test/helpers/server.ts';

// KOMARI_WEB_ROOT (a directory holding dist/) points the tests at another build of the UI.
const webRoot = process.env.KOMARI_WEB_ROOT ?? fileURLToPath(new URL('../../packages/web', import.meta.url));

/**
 * A real server on a real port serving the built web UI (packages/web/dist) over a real SQLite
 * file. `npm run check` builds the UI before the tests; `npm test` alone needs `npm run build:web`.
 */
export async function startWebServer(env: Record<string, string> = {}, opts: Omit<TestServerOptions, 'env'> = {}): Promise<{ s: TestServer; cookie: string }> {
  if (!existsSync(join(webRoot, 'dist', 'index.html'))) throw new Error(`the web UI is not built in ${webRoot}: run \`npm run build:web\` first`);
  return startWithAdmin({ ...opts, env: { KOMARI_WEB_ROOT: webRoot, ...env } });
}

export interface FakeNode {
  uuid: string;
  token: string;
  name: string;
}

/** Basic info as an agent uploads it (v1 POST), so the node shows its OS, CPU and totals. */
export async function uploadInfo(s: TestServer, node: FakeNode, over: Record<string, unknown> = {}): Promise<void> {
  const res = await http(s.url, `/api/clients/uploadBasicInfo?token=${node.token}`, {
    method: 'POST',
    body: {
      cpu_name: 'AMD EPYC 7763', cpu_cores: 4, arch: 'amd64', os: 'Debian GNU/Linux 12 (bookworm)', kernel_version: '6.1.0',
      virtualization: 'kvm', gpu_name: '', ipv4: '203.0.113.7', mem_total: 8 * 2 ** 30, swap_total: 2 ** 30, disk_total: 100 * 2 ** 30,
      version: 'e2e', ...over,
    },
  });
  if (res.status !== 200) throw new Error(`uploadBasicInfo failed: ${res.status} ${res.text}`);
}

/** One report over v1 POST (the node stays online 35 s after it). `cpu` varies the figures. */
export async function report(s: TestServer, node: FakeNode, cpu: number, over: Record<string, unknown> = {}): Promise<void> {
  const res = await http(s.url, `/api/clients/report?token=${node.token}`, {
    method: 'POST',
    body: {
      cpu: { usage: cpu },
      ram: { total: 8 * 2 ** 30, used: 2 * 2 ** 30 + cpu * 2 ** 20 },
      swap: { total: 2 ** 30, used: 2 ** 20 },
      load: { load1: cpu / 100, load5: 0.2, load15: 0.1 },
      disk: { total: 100 * 2 ** 30, used: 40 * 2 ** 30 },
      network: { up: 1000 + cpu * 10, down: 2000 + cpu * 20, totalUp: 2 ** 30, totalDown: 2 ** 31 },
      connections: { tcp: 12, udp: 3 },
      uptime: 93784,
      process: 120,
      message: '',
      ...over,
    },
  });
  if (res.status !== 200) throw new Error(`report failed: ${res.status} ${res.text}`);
}

/** Adds a node through the admin API, uploads its basic info and sends a first report. */
export async function addReportingNode(s: TestServer, cookie: string, name: string, cpu = 10): Promise<FakeNode> {
  const { uuid, token } = await addNode(s, cookie, name);
  const node = { uuid, token, name };
  await uploadInfo(s, node);
  await report(s, node, cpu);
  return node;
}

/** Edits a node as the admin (admin-api.md §2: POST /api/admin/client/{uuid}/edit). */
export async function editNode(s: TestServer, cookie: string, uuid: string, body: Record<string, unknown>): Promise<void> {
  const res = await http(s.url, `/api/admin/client/${uuid}/edit`, { method: 'POST', cookie, body });
  if (res.status !== 200) throw new Error(`edit failed: ${res.status} ${res.text}`);
}
