import { z } from 'zod';
import { fetchText, type SafeFetchOptions } from '../../http-client/safe-download.ts';

export interface GithubRepo {
  owner: string;
  repo: string;
}

export const githubApi = 'https://api.github.com';

/** GitHub's own rule for owner and repository names, so nothing else lands in the API path. */
const namePattern = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * A GitHub repository URL as Komari reads one (themes.md §8.5): http(s), host `github.com` or
 * `www.github.com`, the first two path segments as owner and repository, `.git` dropped.
 */
export function githubRepoOf(raw: string): GithubRepo | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.host.toLowerCase();
  if (host !== 'github.com' && host !== 'www.github.com') return undefined;
  const [owner, repo] = url.pathname.replace(/^\//, '').split('/');
  if (owner === undefined || repo === undefined) return undefined;
  return { owner, repo: repo.replace(/\.git$/, '') };
}

const releaseSchema = z.object({ assets: z.array(z.object({ browser_download_url: z.string() })) });

/**
 * The download URL of the first asset of the repository's latest release
 * (`GET <api>/repos/<owner>/<repo>/releases/latest`), fetched with the same checks as any
 * download; the URL it names is checked again when it is downloaded.
 */
export async function latestReleaseAssetUrl(gh: GithubRepo, apiBase: string, opts: SafeFetchOptions): Promise<string> {
  if (!gh.owner || !gh.repo) throw new Error('GitHub repository owner and name cannot be empty');
  if (!namePattern.test(gh.owner) || !namePattern.test(gh.repo) || /^\.+$/.test(gh.owner) || /^\.+$/.test(gh.repo)) {
    throw new Error('invalid GitHub repository owner or name');
  }
  const headers = { accept: 'application/vnd.github+json', 'user-agent': 'komari-ts' };
  const text = await fetchText(`${apiBase}/repos/${gh.owner}/${gh.repo}/releases/latest`, { ...opts, headers });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`failed to parse GitHub API response: ${(err as Error).message}`, { cause: err });
  }
  const release = releaseSchema.safeParse(parsed);
  if (!release.success) throw new Error('failed to parse GitHub API response: no assets list');
  const first = release.data.assets[0];
  if (!first) throw new Error('no downloadable assets in GitHub release');
  return first.browser_download_url;
}
