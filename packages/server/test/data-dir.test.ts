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

it('a data folder alone (KOMARI_DATA_DIR or --data-dir) puts the SQLite file in it, as the Docker image and systemd unit run', () => {
  assert.equal(loadBootConfig({}, { KOMARI_DATA_DIR: '/var/lib/komari' }).db, '/var/lib/komari/komari.db');
  assert.equal(loadBootConfig({ dataDir: '/data' }, { KOMARI_DATA_DIR: '/var/lib/komari' }).db, '/data/komari.db');
  assert.equal(dataDirOf(loadBootConfig({ dataDir: '/data' }, {})), '/data');
  // an explicit database still wins, and no data folder keeps the old default
  assert.equal(loadBootConfig({}, { KOMARI_DATA_DIR: '/data', KOMARI_DB: '/srv/k.db' }).db, '/srv/k.db');
  assert.equal(loadBootConfig({ db: 'postgres://db/komari' }, { KOMARI_DATA_DIR: '/data' }).db, 'postgres://db/komari');
  assert.equal(loadBootConfig({}, { KOMARI_DATA_DIR: '' }).db, './data/komari.db');
});
