import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { Callers } from './authz/callers.ts';
import type { CallerName } from './authz/expectations.ts';
import { restCells, rpcCells } from './authz/matrix.ts';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { http, startTestServer } from './helpers/server.ts';

// Issue 12 §2: guests and agents never see a token, an IP, a private remark, the API key or a
// hidden node, on any surface (REST, RPC over POST and WebSocket, /api/clients, records, recent).
// The server is seeded with distinctive markers; every answer reachable to a guest and to an
// agent is searched for them. An admin collecting the same way must see every one (the seed is real).

const s = await startTestServer();
const cookie = await s.login();
const admin = { cookie };

const apiKey = randomBytes(24).toString('base64url');
const privateRemark = 'PrivateRemarkMarker-q7Zt';
const hiddenName = 'HiddenNodeMarker-k3Vw';
const hiddenUptime = 987654321;
const pingTarget = 'leak-target-marker.example';
const ips = { visible4: '198.51.100.23', visible6: '2001:db8::2323', hidden4: '203.0.113.77', hidden6: '2001:db8::7777' };
const sessionIps = { ip: '192.0.2.55', latest: '192.0.2.56' };

assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', ...admin, body: { api_key: apiKey } })).status, 200);
const visible = await addNode(s, cookie, 'visible-node');
const hidden = await addNode(s, cookie, hiddenName);

async function ok(path: string, body: unknown, o: { cookie?: string } = {}): Promise<void> {
  const res = await http(s.url, path, { method: 'POST', body, ...o });
  assert.equal(res.status, 200, `${path}: ${res.text}`);
}

await ok(`/api/clients/uploadBasicInfo?token=${visible.token}`, { cpu_name: 'vis-cpu', ipv4: ips.visible4, ipv6: ips.visible6 });
await ok(`/api/clients/uploadBasicInfo?token=${hidden.token}`, { cpu_name: 'hid-cpu', ipv4: ips.hidden4, ipv6: ips.hidden6 });
await ok(`/api/admin/client/${visible.uuid}/edit`, { remark: privateRemark, public_remark: 'public-remark-shown' }, admin);
await ok(`/api/admin/client/${hidden.uuid}/edit`, { hidden: true, remark: privateRemark }, admin);
await ok(`/api/clients/report?token=${visible.token}`, sampleReport({ uptime: 1111 }));
await ok(`/api/clients/report?token=${hidden.token}`, sampleReport({ uptime: hiddenUptime }));
const pingTask = await http(s.url, '/api/admin/ping/add', {
  method: 'POST',
  ...admin,
  body: { name: 'leak-ping', target: pingTarget, type: 'icmp', interval: 60, clients: [visible.uuid, hidden.uuid] },
});
assert.equal(pingTask.status, 200, pingTask.text);
const taskId = pingTask.json.data.task_id as number;
await ok(`/api/clients/ping/result?token=${visible.token}`, { task_id: taskId, value: 17 });
await ok(`/api/clients/ping/result?token=${hidden.token}`, { task_id: taskId, value: 42 });
const now = s.ctx.clock.now();
const account = (await s.ctx.store.accounts.first())!;
await s.ctx.store.sessions.create({
  session: 'LeakSessionWithIp000000000000001',
  uuid: account.uuid,
  userAgent: 'leak-test',
  ip: sessionIps.ip,
  loginMethod: 'password',
  latestOnline: now,
  latestUserAgent: 'leak-test',
  latestIp: sessionIps.latest,
  expires: now + 86_400_000,
  createdAt: now,
});

const callers = new Callers(s, { agentToken: visible.token, apiKey });
after(async () => {
  callers.close();
  await s.dispose();
});

/** What must never reach a guest or an agent; the agent's own ping targets are its business. */
function forbiddenTo(viewer: CallerName): Record<string, string> {
  const m: Record<string, string> = {
    'the visible node token': visible.token,
    'the hidden node token': hidden.token,
    'the API key': apiKey,
    'the private remark': privateRemark,
    'the hidden node uuid': hidden.uuid,
    'the hidden node name': hiddenName,
    "the hidden node's report": String(hiddenUptime),
    'the visible node IPv4': ips.visible4,
    'the visible node IPv6': ips.visible6,
    'the hidden node IPv4': ips.hidden4,
    'the hidden node IPv6': ips.hidden6,
    'a session IP': sessionIps.ip,
    "a session's latest IP": sessionIps.latest,
  };
  if (viewer === 'guest') m['a ping target'] = pingTarget;
  return m;
}

/** One question and its answer; `sent` is what the request itself carried (echoes are no leak). */
interface Seen {
  what: string;
  sent: string;
  answer: string;
}

const uuidVariants = [visible.uuid, hidden.uuid];
const queryVariants = ['', `uuid=${hidden.uuid}`, `uuid=${visible.uuid}`, `task_id=${taskId}`, `uuid=${hidden.uuid}&task_id=${taskId}`, `task_id=${taskId}&hours=1`];

async function restAnswers(viewer: CallerName): Promise<Seen[]> {
  const out: Seen[] = [];
  const routes = restCells(s.routes).filter(
    (c) => c.caller === viewer && !c.denial && c.route.method === 'GET' && !c.route.websocket && !c.expectation.last,
  );
  for (const { route } of routes) {
    const paths = route.url.includes(':uuid') ? uuidVariants.map((u) => route.url.replace(':uuid', u)) : [route.url];
    for (const base of paths) {
      const path = base.replace(':task_id', '1').replace(':id', 'default').replace('*', 'index.html');
      for (const q of queryVariants) {
        const target = q ? `${path}?${q}` : path;
        const a = await callers.rest(viewer, 'GET', target);
        out.push({ what: `GET ${target}`, sent: target, answer: a.text });
      }
    }
  }
  return out;
}

const paramVariants: unknown[] = [
  {},
  { uuid: hidden.uuid },
  { uuid: visible.uuid },
  { uuids: [hidden.uuid, visible.uuid] },
  { uuids: [] },
  { type: 'ping' },
  { type: 'ping', uuid: hidden.uuid },
  { type: 'ping', task_id: taskId },
  { type: 'load', uuid: hidden.uuid, hours: 1 },
  { task_id: taskId },
  { uuid: hidden.uuid, task_id: taskId },
  [hidden.uuid],
];

/** Methods this viewer may call; an admin only reads (its sentinel run must change nothing). */
function methodsFor(viewer: CallerName): string[] {
  const allowed = rpcCells(s.ctx.registry.names(), [viewer]).filter((c) => !c.denial && !c.expectation.last).map((c) => c.method);
  return viewer === 'admin' ? allowed.filter((m) => !m.startsWith('admin:') || /^admin:(get|list)/.test(m)) : allowed;
}

async function rpcPostAnswers(viewer: CallerName): Promise<Seen[]> {
  const out: Seen[] = [];
  for (const method of methodsFor(viewer)) {
    for (const params of paramVariants) {
      const a = await callers.rpcPost(viewer, method, params);
      out.push({ what: `POST /api/rpc2 ${method} ${JSON.stringify(params)}`, sent: JSON.stringify(params), answer: a.text });
    }
  }
  return out;
}

async function rpcSocketAnswers(viewer: CallerName): Promise<Seen[]> {
  const out: Seen[] = [];
  for (const method of methodsFor(viewer)) {
    for (const params of paramVariants) {
      const a = await callers.rpcWs(viewer, method, params);
      out.push({ what: `/api/rpc2 socket ${method} ${JSON.stringify(params)}`, sent: JSON.stringify(params), answer: a.text });
    }
  }
  return out;
}

/** `/api/clients` as the viewer: `get`, then `get <uuid>` for each node. */
async function feedAnswers(viewer: CallerName): Promise<Seen[]> {
  const c = await callers.credentials(viewer);
  const url = `${s.url.replace(/^http/, 'ws')}/api/clients${c.query ? `?${c.query}` : ''}`;
  const ws = new WebSocket(url, { headers: c.headers });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const out: Seen[] = [];
  try {
    for (const text of ['get', ...uuidVariants.map((u) => `get ${u}`)]) {
      const answer = await new Promise<string>((resolve) => {
        ws.once('message', (d) => resolve(d.toString()));
        ws.send(text);
      });
      out.push({ what: `/api/clients "${text}"`, sent: text, answer });
    }
  } finally {
    ws.terminate();
  }
  return out;
}

function leaks(viewer: CallerName, seen: Seen[]): string[] {
  const found: string[] = [];
  for (const [label, marker] of Object.entries(forbiddenTo(viewer))) {
    for (const x of seen) {
      if (x.sent.includes(marker)) continue;
      const at = x.answer.indexOf(marker);
      if (at >= 0) found.push(`${label} in ${x.what}: …${x.answer.slice(Math.max(0, at - 80), at + 80)}…`);
    }
  }
  return found;
}

const surfaces = {
  'every GET route it may call (recent, records, nodes, ping tasks…)': restAnswers,
  'every RPC method it may call over POST /api/rpc2': rpcPostAnswers,
  'every RPC method it may call over the /api/rpc2 WebSocket': rpcSocketAnswers,
  'the /api/clients WebSocket (get, get <uuid>)': feedAnswers,
};

describe('what guests and agents can reach carries no secret and no hidden node', () => {
  it('an admin collecting the same way sees every marker (the seed is real)', async () => {
    const seen: Seen[] = [];
    for (const collect of Object.values(surfaces)) seen.push(...(await collect('admin')));
    const all = seen.map((x) => x.answer).join('\n');
    const missing = Object.entries(forbiddenTo('guest')).filter(([, m]) => !all.includes(m)).map(([label]) => label);
    assert.deepEqual(missing, []);
  });

  for (const viewer of ['guest', 'agent'] as const) {
    for (const [surface, collect] of Object.entries(surfaces)) {
      it(`${viewer === 'agent' ? 'an' : 'a'} ${viewer}: ${surface}`, async () => {
        const seen = await collect(viewer);
        assert.ok(seen.length > 0, 'nothing was collected');
        assert.deepEqual(leaks(viewer, seen), []);
      });
    }
  }
});
