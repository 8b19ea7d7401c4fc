import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { FileAgent } from './helpers/file-agent.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// Every secret of the file manager rides in a URL somewhere (the agent's node token and transfer
// token in the transfer route's query, the preview token in the public download's): none of
// them may reach the log, at the most verbose level, on success or on failure.
describe('file transfers and previews leave no secret in the log', () => {
  const log = new LogCapture();
  let s: TestServer;
  let cookie: string;
  let root: string;
  let agent: FileAgent;
  let node: { uuid: string; token: string };

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ env: { KOMARI_LOG_LEVEL: 'trace' }, logStream: log, limits: { files: { minChunkBytes: 1024, defaultChunkBytes: 4096 } } }));
    root = mkdtempSync(join(tmpdir(), 'komari-files-'));
    writeFileSync(join(root, 'f.bin'), Buffer.alloc(10_000, 7));
    node = await addNode(s, cookie, 'files');
    agent = await FileAgent.connect(s.url, node.token, root);
  });
  after(async () => {
    agent.close();
    await s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (path: string, auth = true) => fetch(`${s.url}${path}`, { headers: auth ? { cookie: `session_token=${cookie}` } : {} });

  test('download, preview (right and wrong path), refused transfers', async () => {
    assert.equal((await (await get(`/api/admin/client/${node.uuid}/file/download?path=/f.bin`)).arrayBuffer()).byteLength, 10_000);
    const issued = (await (await get(`/api/admin/client/${node.uuid}/file/preview-token?path=/f.bin`)).json()) as any;
    const preview = issued.data.token as string;
    const ok = await get(`/api/preview/client/${node.uuid}/file/download?path=/f.bin&preview_token=${preview}`, false);
    assert.equal((await ok.arrayBuffer()).byteLength, 10_000);
    const wrong = await get(`/api/preview/client/${node.uuid}/file/download?path=/other&preview_token=${preview}`, false);
    assert.equal(wrong.status, 401);
    // a transfer token replayed after its transfer closed
    const used = agent.received.find((p) => p.op === 'download_stream').args;
    const replay = await fetch(`${s.url}/api/clients/transfer/${used.transfer_id}?token=${node.token}&transfer_token=${used.transfer_token}`, { method: 'POST', body: 'x' });
    assert.equal(replay.status, 401);
    await eventually(() => s.ctx.files.transfers.size === 0);

    const secrets = [node.token, preview, ...agent.received.filter((p) => p.args?.transfer_token).map((p) => p.args.transfer_token as string)];
    assert.ok(secrets.length >= 5, 'several transfers ran');
    assert.ok(log.text.includes('transfer_token=***') && log.text.includes('preview_token=***'), 'the requests carrying them were logged, redacted');
    for (const secret of secrets) assert.equal(log.text.includes(secret), false, `a secret in the log: ${secret.slice(0, 4)}…`);
  });
});
