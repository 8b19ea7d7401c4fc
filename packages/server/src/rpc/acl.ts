import type { Role } from './caller.ts';

/** rpc2.md §7.2: pattern → minimum role; unlisted namespaces need admin. */
const rules: ReadonlyArray<readonly [string, Role]> = [
  ['*', 'admin'],
  ['common:*', 'guest'],
  ['public:*', 'guest'],
  ['guest:*', 'guest'],
  ['rpc.*', 'guest'],
  ['rpc:*', 'guest'],
  ['client:*', 'client'],
  ['admin:*', 'admin'],
];

const strictness: Record<Role, number> = { guest: 0, client: 1, admin: 2 };

function matches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/**
 * The role a method needs: an exact pattern wins, else the one with most literal characters,
 * ties go to the stricter role. Bare names are checked as `common:<name>`.
 */
export function requiredRole(method: string): Role {
  const name = method.includes(':') || method.startsWith('rpc.') ? method : `common:${method}`;
  let best: { literal: number; exact: boolean; role: Role } | undefined;
  for (const [pattern, role] of rules) {
    if (!matches(pattern, name)) continue;
    const cand = { literal: pattern.replaceAll('*', '').length, exact: !pattern.includes('*'), role };
    if (
      !best ||
      (cand.exact && !best.exact) ||
      (cand.exact === best.exact && cand.literal > best.literal) ||
      (cand.exact === best.exact && cand.literal === best.literal && strictness[role] > strictness[best.role])
    ) {
      best = cand;
    }
  }
  return best?.role ?? 'admin';
}
