import { genericProvider } from './generic.ts';
import { githubProvider } from './github.ts';
import { oidcProvider } from './oidc.ts';
import { qqProvider } from './qq.ts';
import type { OAuthProvider } from './types.ts';

/** Every provider, sorted by name as Komari's schema map is; `oidc` is komari-ts's own. */
export const oauthProviders: readonly OAuthProvider[] = [genericProvider, githubProvider, oidcProvider, qqProvider];
