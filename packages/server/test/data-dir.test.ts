import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { dataDirOf } from '../src/config/data-dir.ts';

const dirOf = (db: string, env: Record<string, string> = {}) => dataDirOf(loadBootConfig({ db }, env));

it('SQLite: the data folder is the database file\'s folder, as before', () => {
  assert.equal(dirOf('/srv/komari/komari.db'), '/srv/komari');
  assert.equal(dirOf('./data/komari.db'), resolve('data'));
});

it('PostgreSQL: ./data, never a folder derived from the URL', () => {
  assert.equal(dirOf('postgres://u:pw@db.example:5432/komari'), resolve('data'));
  assert.equal(dirOf('postgresql://db/komari'), resolve('data'));
});

it('KOMARI_DATA_DIR wins on either engine', () => {
  assert.equal(dirOf('postgres://u:pw@db/komari', { KOMARI_DATA_DIR: '/var/lib/komari' }), '/var/lib/komari');
  assert.equal(dirOf('/srv/komari/komari.db', { KOMARI_DATA_DIR: '/var/lib/komari' }), '/var/lib/komari');
});
