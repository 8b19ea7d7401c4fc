// The admin panel's pages: one entry per page, in menu order. Each page is its own chunk.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface AdminRoute {
  path: string;
  /** key in the `admin` namespace for the menu label */
  labelKey: string;
  page: LazyExoticComponent<ComponentType>;
}

export const adminRoutes: AdminRoute[] = [
  { path: '/admin/nodes', labelKey: 'nav.nodes', page: lazy(() => import('./nodes/nodes-page.tsx')) },
  { path: '/admin/ping', labelKey: 'nav.ping', page: lazy(() => import('./ping/ping-page.tsx')) },
  { path: '/admin/alerts', labelKey: 'nav.alerts', page: lazy(() => import('./alerts/alerts-page.tsx')) },
  { path: '/admin/exec', labelKey: 'nav.exec', page: lazy(() => import('./exec/exec-page.tsx')) },
  { path: '/admin/files', labelKey: 'nav.files', page: lazy(() => import('./files/files-page.tsx')) },
  { path: '/admin/clipboard', labelKey: 'nav.clipboard', page: lazy(() => import('./clipboard/clipboard-page.tsx')) },
  { path: '/admin/settings', labelKey: 'nav.settings', page: lazy(() => import('./settings/settings-page.tsx')) },
  { path: '/admin/themes', labelKey: 'nav.themes', page: lazy(() => import('./themes/themes-page.tsx')) },
  { path: '/admin/sso', labelKey: 'nav.sso', page: lazy(() => import('./sso/sso-page.tsx')) },
  { path: '/admin/sessions', labelKey: 'nav.sessions', page: lazy(() => import('./sessions/sessions-page.tsx')) },
  { path: '/admin/account', labelKey: 'nav.account', page: lazy(() => import('./account/account-page.tsx')) },
  { path: '/admin/database', labelKey: 'nav.database', page: lazy(() => import('./database/database-page.tsx')) },
  { path: '/admin/backup', labelKey: 'nav.backup', page: lazy(() => import('./backup/backup-page.tsx')) },
  { path: '/admin/geoip', labelKey: 'nav.geoip', page: lazy(() => import('./geoip/geoip-page.tsx')) },
  { path: '/admin/logs', labelKey: 'nav.logs', page: lazy(() => import('./logs/logs-page.tsx')) },
];
