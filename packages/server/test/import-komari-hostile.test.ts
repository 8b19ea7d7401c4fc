import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import type { ImportReport } from '@komari-ts/protocol/import-report';
import { systemClock } from '../src/clock.ts';
import { AppError } from '../src/errors.ts';
import { importKomari } from '../src/import/komari/import-komari.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/types.ts';
import { sample, sampleContent, writeKomariDb } from './fixtures/komari-schemas/generate.ts';
import { dumpStore } from './helpers/store-dump.ts';

// A komari.db written by hand or damaged: wrong types, huge strings, NULLs, duplicate uuids (a
// table without its primary key), garbage JSON. Each bad row is skipped with a reason, the good
// rows come over, nothing throws; a database that is not Komari's is refused and changes nothing.

const good = sampleContent('1.4.3');
const huge = 'x'.repeat(2_000_000);

describe('import of a hostile Komari database', () => {
  let dir: string;
  let store: Store;
  let report: ImportReport;
  const reasons = (kind: string) => report.skipped.filter((s) => s.kind === kind).map((s) => `${s.id ?? ''}: ${s.reason}`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'komari-hostile-'));
    const komariDb = join(dir, 'source.db');
    writeKomariDb(komariDb, '1.4.3', {
      users: [
        ...good.users!,
        { uuid: 'u-2', username: 'admin', passwd: sample.passwordHash },
        { uuid: 'u-3', username: 'kdf', passwd: 'argon2id$m=4000000000,t=1000,p=1$AAAA$AAAA' },
        { uuid: 'u-4', username: 'weird2fa', passwd: sample.passwordHash, two_factor: 'not base32 !!' },
        { uuid: 'u-5', username: huge, passwd: sample.passwordHash },
      ],
      clients: [
        ...good.clients!,
        { uuid: '', token: 'TokenEmptyUuid00000000' },
        { uuid: sample.nodeA.uuid, token: 'TokenDuplicate00000000' },
        { uuid: 'y'.repeat(5000), token: 'TokenHugeUuid000000000' },
        { uuid: 'cccccccc-0000-4000-8000-000000000003', token: '' },
        { uuid: 'dddddddd-0000-4000-8000-000000000004', token: sample.nodeA.token },
        {
          uuid: 'eeeeeeee-0000-4000-8000-000000000005', token: 'TokenWrongTypes0000000', name: huge, weight: 'heavy', price: Buffer.from([1, 2]),
          hidden: 'maybe', expired_at: 'soon', cpu_cores: -3, traffic_limit_type: 'sideways', created_at: null,
        },
      ],
      configs: { ...good.configs, api_key: 'short-key', sitename: 42 },
      tables: {
        ...good.tables,
        configs: [{ key: 'broken', value: 'not json{' }, { key: '', value: '1' }],
        ping_tasks: [
          ...good.tables!.ping_tasks!,
          { id: 5, name: 'garbage', clients: '{"a":', target: 'x', type: 'icmp' },
          { id: 6, name: 'nowhere', clients: JSON.stringify(['ffffffff-missing']), target: '8.8.8.8', type: 'icmp' },
          { id: 7, name: 'smtp', clients: JSON.stringify([sample.nodeA.uuid]), target: '8.8.8.8', type: 'smtp' },
          { id: 8, name: 'no-interval', clients: JSON.stringify([sample.nodeA.uuid]), target: '8.8.8.8', type: 'icmp', interval: 0 },
        ],
        load_notifications: [
          ...good.tables!.load_notifications!,
          { id: 2, name: 'obj', clients: '{"a":1}', metric: 'cpu', threshold: 1, ratio: 0.5, interval: 5 },
          { id: 3, name: 'ratio', clients: JSON.stringify([sample.nodeA.uuid]), metric: 'cpu', threshold: 1, ratio: 5, interval: 5 },
        ],
        offline_notifications: [...good.tables!.offline_notifications!, { client: 'ghost', enable: 1 }, { client: sample.nodeA.uuid, enable: 1, grace_period: -1 }],
        clipboards: [...good.tables!.clipboards!, { text: '', name: 'blank' }, { text: huge, name: 'big' }],
        logs: [...good.tables!.logs!, { ip: '', uuid: '', message: 'when?', msg_type: 'info', time: 'yesterday' }],
        tasks: [...good.tables!.tasks!, { task_id: 'NoCommand0000000', clients: '[]', command: null }],
        message_sender_providers: [{ name: 'webhook', addition: 'garbage' }, { name: 'bark', addition: JSON.stringify({ device_key: 'k', server_url: '' }) }],
        // the second nests past every stack: JSON.stringify of it would throw RangeError
        theme_configurations: [{ short: 'aurora', data: '[1,2]' }, { short: 'deep', data: `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}` }],
      },
    }, { unique: false });
    // configs was created with the defaults above; the extra rows go in beside them
    store = openSqliteStore(join(dir, 'komari.db'));
    report = await importKomari({ komariDb }, store, { clock: systemClock });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('nodes: empty, duplicate and oversized uuids, empty and taken tokens are skipped; wrong field types fall back to defaults', async () => {
    assert.deepEqual(reasons('nodes'), [
      ': a client row with an empty uuid',
      `${sample.nodeA.uuid}: a second row with the same uuid`,
      ': uuid a 5000-character string is not a uuid',
      'cccccccc-0000-4000-8000-000000000003: its token is empty or not 1 to 255 visible ASCII characters',
      `dddddddd-0000-4000-8000-000000000004: its token belongs to node ${sample.nodeA.uuid} here: left out (a token names one node)`,
      'eeeeeeee-0000-4000-8000-000000000005: field(s) cpu_cores, name, weight, price, hidden, traffic_limit_type, expired_at held values komari-ts does not accept: imported the node with their defaults',
    ]);
    const e = (await store.nodes.get('eeeeeeee-0000-4000-8000-000000000005'))!;
    assert.deepEqual([e.name, e.weight, e.price, e.hidden, e.expired_at, e.cpu_cores, e.traffic_limit_type], ['client_eeeeeeee', 0, 0, false, null, 0, 'max']);
    assert.equal((await store.nodes.get(sample.nodeA.uuid))!.token, sample.nodeA.token, 'the first row of a uuid wins');
    assert.equal(report.imported.nodes, 3);
  });

  it('accounts: a second admin row, a hash that is not Komari\'s, a bad 2FA secret and a huge name are reported', async () => {
    assert.deepEqual(reasons('accounts'), [
      'admin: a second row with the same username',
      "kdf: its password hash is not Komari's (base64 SHA-256): it could never log in; run `komari chpasswd` after the import if it was the only account",
      'weird2fa: its 2FA secret is not a base32 TOTP secret: imported the account with 2FA off; turn it on again',
      'a 2000000-character string: its username is empty or longer than 50 characters',
    ]);
    assert.equal((await store.accounts.byUsername('kdf')), undefined);
    assert.equal((await store.accounts.byUsername('weird2fa'))!.twoFactor, '');
  });

  it('settings: non-JSON values, empty keys and values failing komari-ts\'s rules are left out', async () => {
    const r = reasons('settings');
    assert.ok(r.includes('broken: its value is not JSON'), r.join('\n'));
    assert.ok(r.includes(': a key that is empty, longer than 255 characters or "__proto__"'));
    assert.ok(r.some((x) => x.startsWith('api_key: api_key must be at least 32')), r.join('\n'));
    assert.ok(r.some((x) => x.startsWith('sitename: ')));
    const s = await store.settings.all();
    assert.equal(s.api_key, undefined);
    assert.equal(s.broken, undefined);
  });

  it('ping tasks, rules, clipboard, audit, exec, providers, theme settings: each bad row has its reason', () => {
    assert.deepEqual(reasons('pingTasks'), [
      '5: its clients column is not a JSON list of uuids',
      '6: 1 node(s) it named are not on this server; left them out of it',
      '6: it points to no node on this server',
      '7: type must be one of icmp, tcp, http',
      '8: interval must be a whole number of seconds from 1 to 604800',
    ]);
    assert.deepEqual(reasons('loadRules'), ['2: its clients column is not a JSON list of uuids', '3: Ratio must be between 0 and 1']);
    assert.deepEqual(reasons('offlineRules'), [
      'ghost: it points to no node on this server',
      `${sample.nodeA.uuid}: enable is not a boolean or grace_period not a positive integer`,
    ]);
    assert.deepEqual(reasons('clipboard'), ['2: text is required', '3: text must be at most 65536 bytes']);
    assert.deepEqual(reasons('auditLog'), ['2: its time is not a time']);
    assert.deepEqual(reasons('execTasks'), ['NoCommand0000000: its command is empty or over 65536 characters, or its clients not a JSON list']);
    assert.deepEqual(reasons('messageSenders'), ['webhook: its config is not a JSON object']);
    assert.deepEqual(reasons('themeSettings'), ['aurora: its settings are not a JSON object', 'deep: its settings nest deeper than 64 levels']);
    assert.deepEqual(
      [report.imported.pingTasks, report.imported.loadRules, report.imported.offlineRules, report.imported.clipboard, report.imported.auditLog, report.imported.messageSenders],
      [1, 1, 1, 1, 1, 1],
    );
  });
});

describe('a database import refuses', () => {
  let dir: string;
  let store: Store;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'komari-refuse-'));
    store = openSqliteStore(join(dir, 'komari.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function refused(path: string, message: RegExp): Promise<void> {
    const before = await dumpStore(store);
    await assert.rejects(importKomari({ komariDb: path }, store, { clock: systemClock }), (err: unknown) => err instanceof AppError && message.test(err.message));
    assert.deepEqual(await dumpStore(store), before, 'nothing changed');
  }

  it('a file that is not SQLite, a missing file, a database that is not Komari\'s, a Komari schema it does not know', async () => {
    const text = join(dir, 'text.db');
    writeFileSync(text, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    await refused(text, /is not a readable SQLite database/);
    await refused(join(dir, 'missing.db'), /does not exist or is not a file/);
    const other = join(dir, 'other.db');
    const o = new DatabaseSync(other);
    o.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    o.close();
    await refused(other, /is not a Komari database/);
    const odd = join(dir, 'odd.db');
    const d = new DatabaseSync(odd);
    d.exec('CREATE TABLE clients (uuid TEXT, secret TEXT); CREATE TABLE configs (key TEXT, value TEXT); CREATE TABLE users (username TEXT, passwd TEXT)');
    d.close();
    await refused(odd, /of a schema komari-ts does not know: its clients table has no token column/);
  });
});
