// The server ends a binding (and an OAuth login) with a redirect to Komari's /admin/dashboard,
// which this panel does not have. A bind started here marks that it should come back to the
// account page; anything else lands on the default admin page.
const key = 'komari-sso-return';
const accountPath = '/admin/account';

export function markBindReturn(): void {
  sessionStorage.setItem(key, accountPath);
}

/** Where /admin/dashboard leads: the account page once after a bind started here, else nothing. */
export function takeBindReturn(): string | undefined {
  const path = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  return path === accountPath ? path : undefined;
}
