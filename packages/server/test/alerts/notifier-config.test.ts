import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itemsOf, sendableConfigOf, storedConfigOf, zeroConfigOf } from '../../src/alerts/notifiers/config.ts';
import { email } from '../../src/alerts/notifiers/email.ts';
import { notifiers } from '../../src/alerts/notifiers/index.ts';
import { telegram } from '../../src/alerts/notifiers/telegram.ts';
import type { NotifierDef } from '../../src/alerts/notifiers/types.ts';
import { webhook } from '../../src/alerts/notifiers/webhook.ts';

/** Komari's Item fields without the help text (ours is worded differently). */
function items(def: NotifierDef) {
  return itemsOf(def).map(({ name, required, type, options, default: d }) => ({ name, required, type, options, default: d }));
}
const item = (name: string, required: boolean, type: string, d = '', options = '') => ({ name, required, type, options, default: d });

describe('channel config: Komari’s Item list and the stored/sendable config', () => {
  it('telegram lists Komari’s fields in Komari’s order', () => {
    assert.deepEqual(items(telegram as unknown as NotifierDef), [
      item('bot_token', true, 'string'),
      item('chat_id', true, 'string'),
      item('message_thread_id', false, 'string'),
      item('endpoint', true, 'string', 'https://api.telegram.org/bot'),
    ]);
  });

  it('email lists Komari’s fields: port an int defaulting to 587, use_ssl and use_login_auth bools', () => {
    assert.deepEqual(items(email as unknown as NotifierDef), [
      item('host', true, 'string'),
      item('port', true, 'int', '587'),
      item('username', false, 'string'),
      item('password', false, 'string'),
      item('sender', false, 'string'),
      item('receiver', false, 'string'),
      item('use_ssl', false, 'bool', 'false'),
      item('use_login_auth', false, 'bool', 'false'),
    ]);
  });

  it('webhook lists Komari’s fields: method an option POST,GET defaulting to GET', () => {
    assert.deepEqual(items(webhook as unknown as NotifierDef), [
      item('url', true, 'string'),
      item('method', false, 'option', 'GET', 'POST,GET'),
      item('content_type', false, 'string', 'application/json'),
      item('headers', false, 'string'),
      item('body', false, 'string', '{"message":"{{message}}","title":"{{title}}"}'),
      item('username', false, 'string'),
      item('password', false, 'string'),
    ]);
  });

  it('Komari’s zero config: every field present, "" / 0 / false', () => {
    assert.deepEqual(zeroConfigOf(email as unknown as NotifierDef), {
      host: '', port: 0, username: '', password: '', sender: '', receiver: '', use_ssl: false, use_login_auth: false,
    });
  });

  it('storedConfigOf refuses a wrong type, naming the field', () => {
    assert.throws(() => storedConfigOf(email as unknown as NotifierDef, { port: '587' }), { message: 'port must be a number' });
    assert.throws(() => storedConfigOf(email as unknown as NotifierDef, { use_ssl: 'yes' }), { message: 'use_ssl must be a boolean' });
    assert.throws(() => storedConfigOf(webhook as unknown as NotifierDef, { method: 'PUT' }), { message: 'method must be one of POST, GET' });
    assert.throws(() => storedConfigOf(telegram as unknown as NotifierDef, { chat_id: 12 }), { message: 'chat_id must be a string' });
  });

  it('sendableConfigOf names a missing required field and applies defaults to empty ones', () => {
    assert.throws(() => sendableConfigOf(telegram, { bot_token: 't' }), { message: 'chat_id is required' });
    assert.deepEqual(sendableConfigOf(telegram, { bot_token: 't', chat_id: 'c', endpoint: '' }), { bot_token: 't', chat_id: 'c', endpoint: 'https://api.telegram.org/bot' });
    assert.equal(sendableConfigOf(email, { host: 'h', port: 0 }).port, 587);
    assert.equal(sendableConfigOf(webhook, { url: 'http://x/', method: '' }).method, 'GET');
  });
});

describe('the channel list', () => {
  it('Komari’s senders first in Komari’s order, ours next, empty last', () => {
    const kinds = notifiers.map((n) => n.kind);
    assert.deepEqual(kinds.slice(0, 6), ['telegram', 'email', 'webhook', 'bark', 'Server酱³', 'Server酱Turbo']);
    assert.equal(kinds.at(-1), 'empty');
    assert.deepEqual(
      notifiers.map((n) => n.komari),
      kinds.map((k, i) => i < 6 || k === 'empty'),
    );
    assert.equal(new Set(kinds).size, kinds.length);
  });

  it('every secret field is a field of its schema; every URL scheme belongs to one kind', () => {
    const schemes: string[] = [];
    for (const n of notifiers) {
      for (const f of n.secretFields) assert.ok(f in n.config.shape, `${n.kind}: ${f}`);
      schemes.push(...(n.url?.schemes ?? []));
    }
    assert.equal(new Set(schemes).size, schemes.length);
  });
});

describe('config field bound', () => {
  it('a text field over 16 KiB is refused, naming it', () => {
    assert.throws(() => storedConfigOf(webhook as unknown as NotifierDef, { url: 'https://x.test/', body: 'x'.repeat(16 * 1024 + 1) }), {
      message: 'body is too long (at most 16384 characters)',
    });
  });
});
