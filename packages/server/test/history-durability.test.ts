import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnCliServer, type CliServer } from './helpers/cli.ts';
import { http, sessionCookieOf } from './helpers/server.ts';

const password = 'durability-pw-1';

async function login(url: string): Promise<string> {
  const res = await http(url, '/api/login', { method: 'POST', body: { username: 'admin', password } });
  return sessionCookieOf(res.headers);
}

/** A v1 POST report whose upload counter has grown by `step` bytes per report. */
function report(i: number, step: number) {
  return {
    cpu: { usage: 10 },
    ram: { total: 1000, used: 500 },
    network: { up: 1, down: 1, totalUp: i * step, totalDown: 0 },
    uptime: 1000 + i,
    process: 5,
  };
}

async function sendReports(url: string, token: string, count: number, step: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await http(url, `/api/clients/report?token=${token}`, { method: 'POST', body: report(i, step) });
    assert.equal(res.status, 200, res.text);
  }
}

/** Σ traffic_up over the last hour: exact whatever minute boundaries the reports straddle. */
async function trafficUp(url: string, cookie: string, uuid: string): Promise<number> {
  const res = await http(url, `/api/records/load?uuid=${uuid}&hours=1`, { cookie });
  assert.equal(res.status, 200, res.text);
  return res.json.data.records.reduce((sum: number, r: { traffic_up: number }) => sum + r.traffic_up, 0);
}

describe('history durability across a real process stop', () => {
  let dir: string;
  let server: CliServer;
  let uuid: string;
  let token: string;
  const env = { ADMIN_PASSWORD: password };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'komari-durable-'));
    server = await spawnCliServer(join(dir, 'komari.db'), env);
    const cookie = await login(server.url);
    const node = await http(server.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'durable' } });
    ({ uuid, token } = node.json);
  });
  after(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM in the middle of a minute, then restart: every report accepted before is in history', async () => {
    await sendReports(server.url, token, 6, 100);
    const { code } = await server.stop();
    assert.equal(code, 0);
    server = await spawnCliServer(join(dir, 'komari.db'), env);
    // six reports: the first has no baseline (delta 0), then five deltas of 100 bytes
    assert.equal(await trafficUp(server.url, await login(server.url), uuid), 500);
  });

  it('kill -9 loses at most the flush interval: reports older than one flush survive', async () => {
    // the counter continues from 500 (restored baseline), so these add 4 × 100
    for (let i = 6; i < 10; i++) {
      const res = await http(server.url, `/api/clients/report?token=${token}`, { method: 'POST', body: report(i, 100) });
      assert.equal(res.status, 200);
    }
    await sleep(2_500); // longer than the 2 s flush interval
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    server = await spawnCliServer(join(dir, 'komari.db'), env);
    assert.equal(await trafficUp(server.url, await login(server.url), uuid), 900);
  });
});
