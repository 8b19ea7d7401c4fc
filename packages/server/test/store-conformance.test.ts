import { describe } from 'node:test';
import { accountsSuite } from './store-conformance/accounts.ts';
import { alertsSuite } from './store-conformance/alerts.ts';
import { auditSuite } from './store-conformance/audit.ts';
import { clipboardSuite } from './store-conformance/clipboard.ts';
import { engines } from './store-conformance/engines.ts';
import { execTasksSuite } from './store-conformance/exec-tasks.ts';
import { historySuite } from './store-conformance/history.ts';
import { loginGuardSuite } from './store-conformance/login-guard.ts';
import { nodesSuite } from './store-conformance/nodes.ts';
import { oidcProvidersSuite } from './store-conformance/oidc-providers.ts';
import { pingHistorySuite } from './store-conformance/ping-history.ts';
import { pingTasksSuite } from './store-conformance/ping-tasks.ts';
import { remoteControlSuite } from './store-conformance/remote-control.ts';
import { sessionsSuite } from './store-conformance/sessions.ts';
import { settingsSuite } from './store-conformance/settings.ts';
import { tablesSuite } from './store-conformance/tables.ts';
import { themeConfigsSuite } from './store-conformance/theme-configs.ts';

/**
 * One store conformance suite for every engine (issue 16): the same tests on SQLite, always, and
 * on PostgreSQL when KOMARI_TEST_PG_URL is set (`.ci/run` sets it). Each test opens a fresh
 * database: a temp file for SQLite, a schema of its own for PostgreSQL.
 */
for (const engine of engines) {
  describe(`store conformance: ${engine.name}`, { skip: engine.skip }, () => {
    const open = () => engine.open();
    describe('settings', () => settingsSuite(open));
    describe('accounts', () => accountsSuite(open));
    describe('sessions', () => sessionsSuite(open));
    describe('login guard', () => loginGuardSuite(open));
    describe('audit', () => auditSuite(open));
    describe('nodes', () => nodesSuite(open));
    describe('remote control', () => remoteControlSuite(open));
    describe('theme configs', () => themeConfigsSuite(open));
    describe('clipboard', () => clipboardSuite(open));
    describe('alerts', () => alertsSuite(open));
    describe('ping tasks', () => pingTasksSuite(open));
    describe('ping history', () => pingHistorySuite(open));
    describe('history', () => historySuite(open));
    describe('exec tasks', () => execTasksSuite(open));
    describe('oidc providers', () => oidcProvidersSuite(open));
    describe('tables (komari migrate)', () => tablesSuite(engine.name, open));
  });
}
