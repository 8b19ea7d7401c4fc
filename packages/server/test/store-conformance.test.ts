import { describe } from 'node:test';
import { accountsSuite } from './store-conformance/accounts.ts';
import { auditSuite } from './store-conformance/audit.ts';
import { engines } from './store-conformance/engines.ts';
import { loginGuardSuite } from './store-conformance/login-guard.ts';
import { sessionsSuite } from './store-conformance/sessions.ts';
import { settingsSuite } from './store-conformance/settings.ts';

/**
 * One store conformance suite for every engine (issue 16): the same tests on SQLite, always, and
 * on PostgreSQL when KOMARI_TEST_PG_URL is set (`.ci/run` sets it). Each test opens a fresh
 * database: a temp file for SQLite, a schema of its own for PostgreSQL.
 */
for (const engine of engines) {
  describe(`store conformance: ${engine.name}`, { skip: engine.skip }, () => {
    describe('settings', () => settingsSuite(() => engine.open()));
    describe('accounts', () => accountsSuite(() => engine.open()));
    describe('sessions', () => sessionsSuite(() => engine.open()));
    describe('login guard', () => loginGuardSuite(() => engine.open()));
    describe('audit', () => auditSuite(() => engine.open()));
  });
}
