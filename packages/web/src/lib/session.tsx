// Who is looking (GET /api/me) and the site's public settings (GET /api/public), loaded once and
// shared through context; `refresh()` after login, logout or a settings change.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { apiGet } from './api.ts';

export interface Me {
  logged_in: boolean;
  username: string;
  uuid?: string;
  '2fa_enabled'?: boolean;
  /** the bound external account, `<provider>_<id>` (e.g. `github_583231`); empty when none */
  sso_id?: string;
}

export interface PublicSettings {
  sitename: string;
  description: string;
  custom_head: string;
  custom_body: string;
  private_site: boolean;
  disable_password_login: boolean;
  oauth_enable: boolean;
  /** the provider "Sign in with …" goes through (`github`, `generic`, `qq`, `oidc`) */
  oauth_provider?: string;
  theme: string;
  theme_settings: Record<string, unknown>;
  record_preserve_time: number;
  ping_record_preserve_time: number;
}

interface Session {
  me: Me | undefined;
  site: PublicSettings | undefined;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<Session>({ me: undefined, site: undefined, refresh: async () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me>();
  const [site, setSite] = useState<PublicSettings>();
  const refresh = useCallback(async () => {
    const [m, s] = await Promise.all([
      fetch('/api/me', { credentials: 'same-origin' }).then((r) => r.json() as Promise<Me>),
      apiGet<PublicSettings>('/api/public').catch(() => undefined),
    ]);
    setMe(m);
    setSite(s);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <SessionContext value={{ me, site, refresh }}>{children}</SessionContext>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}

/** The tab title: `title · site name`, or the site name alone; pages call it once. */
export function usePageTitle(title?: string): void {
  const sitename = useContext(SessionContext).site?.sitename;
  useEffect(() => {
    if (title) document.title = sitename ? `${title} · ${sitename}` : title;
    else if (sitename) document.title = sitename;
  }, [title, sitename]);
}
