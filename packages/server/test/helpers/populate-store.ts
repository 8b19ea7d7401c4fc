import type { HistoryGauge, HistoryRow, Store } from '../../src/store/types.ts';
import { nodeRow } from '../store-conformance/nodes.ts';

/** The repositories a store has (what the conformance suite opens, and a whole Store). */
export type Repositories = Omit<Store, 'engine' | 'files' | 'close'>;

const gauges: HistoryGauge[] = ['cpu', 'gpu', 'ram', 'swap', 'load', 'disk', 'net_in', 'net_out', 'process', 'connections', 'connections_udp'];
const minute = 60_000;

/** A history bucket whose fields all differ (a swapped column shows), some fractional. */
export function historyRow(node: string, width: number, start: number, seed: number): HistoryRow {
  const sum = {} as Record<HistoryGauge, number>;
  const max = {} as Record<HistoryGauge, number>;
  gauges.forEach((g, i) => {
    sum[g] = seed * 1000 + i + 0.25;
    max[g] = seed * 100 + i + 0.5;
  });
  return {
    node, width, start, count: seed + 3, gpuCount: seed % 2, sum, max, lastAt: start + 999,
    netTotalUp: seed * 11, netTotalDown: seed * 12, ramTotal: 2 ** 34, swapTotal: 2 ** 31, diskTotal: 4e12,
    trafficUp: seed * 16.5, trafficDown: seed * 17,
  };
}

export interface Populated {
  nodes: string[];
  /** a deleted channel's id: a copy must never hand it out again */
  deletedChannelId: number;
}

/**
 * At least one row in every table of the store (store/table-catalog.ts), written through the
 * repositories as the server writes them: nodes, accounts, sessions, the login guard, audit,
 * every alerts table, clipboard, themes, OIDC, remote control, ping tasks and buckets, history
 * buckets of several tiers around `now`, exec tasks and results. `tag` keeps two stores' rows apart.
 */
export async function populateEveryTable(r: Repositories, now: number, tag = 'p'): Promise<Populated> {
  const nodes = [`${tag}-node-a`, `${tag}-node-b`, `${tag}-node-c`];
  for (const [i, uuid] of nodes.entries()) await r.nodes.create(nodeRow(uuid, { weight: 10 - i, hidden: i === 1, expired_at: i === 2 ? null : now + 86_400_000 }));
  await r.settings.setMany({ sitename: `site ${tag}`, allow_cors: true, custom_head: '<script>x</script>', nested: { a: [1, 'б'] } });
  for (const [i, name] of ['zed', 'alpha'].entries()) {
    await r.accounts.create({
      uuid: `${tag}-acct-${name}`, username: `${tag}-${name}`, passwordHash: `argon2id$fake-${name}`, ssoType: i ? 'github' : '', ssoId: i ? `github_${i}` : '',
      twoFactor: i ? 'JBSWY3DPEHPK3PXP' : '', createdAt: now - 1000, updatedAt: now - 1000,
    });
  }
  await r.accounts.claimTotpStep(`${tag}-acct-alpha`, 57_000_123);
  await r.sessions.create({
    session: `${tag}-session-1`, uuid: `${tag}-acct-zed`, userAgent: 'curl/8', ip: '192.0.2.9', loginMethod: 'password',
    latestOnline: now, latestUserAgent: 'curl/8', latestIp: '192.0.2.9', expires: now + 3_600_000, createdAt: now - 10,
  });
  await r.loginGuard.rememberAddress(`${tag}-acct-zed`, '192.0.2.9', now, 16);
  await r.loginGuard.addUnlock('unlock', now);
  await r.loginGuard.addUnlock('permit-login', now + 1);
  for (let i = 0; i < 5; i++) await r.audit.add({ ip: '192.0.2.9', uuid: `${tag}-acct-zed`, message: `event ${i} 事件`, msgType: i % 2 ? 'warn' : 'info', time: now - i });
  await r.remoteControl.set(nodes[0]!, { exec: false, files: true });
  await r.clipboard.create({ text: 'uptime', name: 'up', weight: 2, remark: 'r' }, now, 100);
  const gone = (await r.clipboard.create({ text: 'rm', name: 'gone', weight: 0, remark: '' }, now, 100))!;
  await r.clipboard.remove(gone.id);
  await r.themeConfigs.set('default', { accent: '#123456', n: 3 });
  await r.oidcProviders.set({ name: 'github', addition: '{"client_id":"abc","client_secret":"shh"}' });
  const channel = await r.alerts.addChannel({ kind: 'webhook', name: 'hook', config: { url: 'http://127.0.0.1:9/x' }, enabled: true, template: '' }, now);
  const deletedChannelId = await r.alerts.addChannel({ kind: 'telegram', name: 'old', config: {}, enabled: false, template: 't' }, now);
  await r.alerts.deleteChannel(deletedChannelId);
  await r.alerts.setSenderConfig({ name: 'webhook', addition: '{"url":"http://127.0.0.1:9"}' });
  await r.alerts.upsertOfflineRules([{ client: nodes[0]!, enable: true, gracePeriod: 60, channels: [channel], quiet: { start: '23:00', end: '07:00', after: 'drop' } }]);
  await r.alerts.setOfflineState({ client: nodes[0]!, state: 'down', since: now - 5000 });
  await r.alerts.upsertTrafficReportRules([{ client: nodes[1]!, enable: true, daily: true, weekly: false, monthly: true }]);
  const loadRule = await r.alerts.addLoadRule({
    name: 'cpu', clients: nodes, metric: 'cpu', threshold: 92.5, ratio: 0.75, interval: 5, consecutive: 2, reminderMinutes: 30, notifyResolved: false, channels: null, quiet: null,
  });
  const taskId = await r.ping.tasks.create({ name: 'dns', clients: nodes.slice(0, 2), defaultOn: true, type: 'icmp', target: '192.0.2.53', interval: 30 });
  await r.alerts.addPingRule({
    name: 'loss', enabled: true, taskId, clients: [], lossPercent: 12.5, latencyMs: 250.25, windowMinutes: 15, reminderMinutes: 0, notifyResolved: true, channels: [channel], quiet: null,
  });
  const record = await r.alerts.addRecord({ kind: 'load', ruleId: loadRule, node: nodes[0]!, nodes: [{ uuid: nodes[0]!, name: '节点' }], event: 'fire', message: 'hot', firedAt: now - 60_000, open: true });
  await r.alerts.appendResults(record, [{ channelId: channel, channel: 'hook', kind: 'webhook', ok: true, error: '', attempts: 1, at: now }]);
  await r.alerts.setTrafficStep(nodes[1]!, now - 86_400_000, 3);
  const pings = [];
  for (const [n, node] of nodes.slice(0, 2).entries()) {
    for (let i = 0; i < 30; i++) {
      const start = Math.floor((now - (i + 1) * minute) / minute) * minute;
      pings.push({ task: taskId, node, width: 60, start, sent: 2, lost: i % 5 === 0 ? 1 : 0, sum: 20.5 + n, min: 9.25, max: 11.75, last: 10.5, lastAt: start + 30_000 });
    }
    pings.push({ task: taskId, node, width: 3600, start: Math.floor(now / 3_600_000) * 3_600_000, sent: 60, lost: 6, sum: 540, min: 9, max: 12, last: -1, lastAt: now });
  }
  await r.ping.history.write(pings);
  // prune remembers the tiers written (ping_tiers, history_tiers); cutoffs at 0 delete nothing
  await r.ping.history.prune(new Map([[60, 0], [3600, 0]]), 1000);
  const rows: HistoryRow[] = [];
  for (const [n, node] of nodes.entries()) {
    for (let i = 0; i < 40; i++) rows.push(historyRow(node, 60, Math.floor((now - (i + 1) * minute) / minute) * minute, i + n));
    for (let i = 0; i < 6; i++) rows.push(historyRow(node, 300, Math.floor((now - (i + 1) * 5 * minute) / (5 * minute)) * 5 * minute, i + 7));
    rows.push(historyRow(node, 3600, Math.floor(now / 3_600_000) * 3_600_000, n + 100));
  }
  await r.history.write(rows);
  await r.history.prune(new Map([[60, 0], [300, 0], [3600, 0]]), 1000);
  await r.execTasks.create({ taskId: `${tag}-task-1`, clients: nodes.slice(0, 2), command: 'uname -a', createdAt: now - 100 }, [
    { taskId: `${tag}-task-1`, client: nodes[0]!, result: '', exitCode: null, finishedAt: null, createdAt: now - 100 },
    { taskId: `${tag}-task-1`, client: nodes[1]!, result: '', exitCode: null, finishedAt: null, createdAt: now - 100 },
  ]);
  await r.execTasks.finish(`${tag}-task-1`, nodes[0]!, 'Linux 6.1\n', 0, now - 50);
  return { nodes, deletedChannelId };
}
