import { genericProvider } from './generic.ts';
import { githubProvider } from './github.ts';
import { qqProvider } from './qq.ts';
import type { OAuthProvider } from './types.ts';

/** Every provider, by name, in the order Komari's schema map lists them (sorted). */
export const oauthProviders: readonly OAuthProvider[] = [genericProvider, githubProvider, qqProvider];
