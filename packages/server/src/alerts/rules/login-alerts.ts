import type { BusEvents } from '../../bus/events.ts';
import type { AlertService } from '../alert-service.ts';

/**
 * The login notification (auth.md §4.4): `Login` 🔑, `<method>: <ip> (<country>)\n<user agent>`,
 * when `login_notification` is on. The country comes from the offline GeoIP database; `unknown`
 * when GeoIP is off or the address has none (a private one), as in Komari.
 */
export function loginAlerts(alerts: AlertService, e: BusEvents['account.login']): void {
  const app = alerts.app;
  if (!app.settings.get('login_notification')) return;
  void alerts.track(
    app.geoip
      .describe(e.ip)
      .then((country) => alerts.fire({ kind: 'login', event: 'Login', emoji: '🔑', message: `${e.method}: ${e.ip} (${country})\n${e.userAgent}`, nodes: [] })),
  );
}
