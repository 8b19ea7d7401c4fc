import type { BusEvents } from '../../bus/events.ts';
import type { AlertService } from '../alert-service.ts';

/**
 * The login notification (auth.md §4.4): `Login` 🔑, `<method>: <ip> (<country>)\n<user agent>`,
 * when `login_notification` is on. komari-ts has no GeoIP lookup, so the country is `unknown`
 * as in Komari without one.
 */
export function loginAlerts(alerts: AlertService, e: BusEvents['account.login']): void {
  if (!alerts.app.settings.get('login_notification')) return;
  void alerts.track(
    alerts.fire({ kind: 'login', event: 'Login', emoji: '🔑', message: `${e.method}: ${e.ip} (unknown)\n${e.userAgent}`, nodes: [] }),
  );
}
