import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../app-context.ts';
import { dataDirOf } from '../../config/data-dir.ts';
import { AppError } from '../../errors.ts';
import { downloadToFile, type DownloadedFile, type SafeFetchOptions } from '../../http-client/safe-download.ts';
import { githubApi, githubRepoOf, latestReleaseAssetUrl, type GithubRepo } from './github-release.ts';

/** Komari's words for a theme that could not be fetched (themes.md §8.5, §8.6). */
export const downloadRefusals = {
  importDownload: (err: string) => `下载主题失败: ${err}`,
  githubLink: (err: string) => `从GitHub获取下载链接失败: ${err}`,
  githubDownload: (err: string) => `从GitHub下载主题失败: ${err}`,
  newUrl: (err: string) => `从新URL下载主题失败: ${err}`,
  nothing: '无法下载主题，请提供有效的URL或GitHub仓库信息',
} as const;

export interface ThemeDownloads {
  /** where packages stream to; each file is removed by whoever received it */
  dir: string;
  packageOpts: SafeFetchOptions;
  apiOpts: SafeFetchOptions;
  githubApiBase: string;
}

/** The download settings of this app: limits from ServerLimits, test hooks only from tests. */
export function themeDownloadsOf(app: AppContext): ThemeDownloads {
  const l = app.limits.themeDownload;
  const hooks = app.outboundForTests;
  const testAllowance = hooks?.loopbackPorts ? { loopbackPorts: hooks.loopbackPorts } : undefined;
  const base = { timeoutMs: l.timeoutMs, maxRedirects: l.maxRedirects, testAllowance };
  return {
    dir: join(dataDirOf(app.config), '.theme-downloads'),
    packageOpts: { ...base, maxBytes: l.maxBytes },
    apiOpts: { ...base, maxBytes: l.maxApiAnswerBytes },
    githubApiBase: hooks?.githubApiBase ?? githubApi,
  };
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const refuse = (message: string): AppError => AppError.invalidParams(message);

async function fetchPackage(d: ThemeDownloads, url: string): Promise<DownloadedFile> {
  const file = await downloadToFile(url, d.dir, d.packageOpts);
  if (file.bytes === 0) {
    rmSync(file.path, { force: true });
    throw new Error('downloaded theme file is empty');
  }
  return file;
}

/** The latest release's first asset, each step failing with its own Komari message. */
async function fromRelease(d: ThemeDownloads, gh: GithubRepo, onDownloadError: (err: string) => string): Promise<DownloadedFile> {
  let asset: string;
  try {
    asset = await latestReleaseAssetUrl(gh, d.githubApiBase, d.apiOpts);
  } catch (err) {
    throw refuse(downloadRefusals.githubLink(reason(err)));
  }
  try {
    return await fetchPackage(d, asset);
  } catch (err) {
    throw refuse(onDownloadError(reason(err)));
  }
}

/** `POST /api/admin/theme/import`: a GitHub repository's latest release, else the URL itself. */
export async function downloadForImport(d: ThemeDownloads, url: string): Promise<DownloadedFile> {
  const gh = githubRepoOf(url);
  if (gh) return fromRelease(d, gh, downloadRefusals.importDownload);
  try {
    return await fetchPackage(d, url);
  } catch (err) {
    throw refuse(downloadRefusals.importDownload(reason(err)));
  }
}

export interface UpdateSources {
  /** the installed manifest's `url` */
  installedUrl: string;
  url?: string;
  gitOwner?: string;
  gitRepo?: string;
}

/**
 * `POST /api/admin/theme/update`'s order (themes.md §8.5): the installed manifest's URL (its
 * failures are silent), then `git_owner` + `git_repo`, else a new `url`; the first package wins.
 */
export async function downloadForUpdate(d: ThemeDownloads, s: UpdateSources): Promise<DownloadedFile> {
  if (s.installedUrl) {
    const gh = githubRepoOf(s.installedUrl);
    try {
      return gh ? await fromRelease(d, gh, downloadRefusals.githubDownload) : await fetchPackage(d, s.installedUrl);
    } catch {
      // Komari goes on to the sources the request names.
    }
  }
  if (s.gitOwner && s.gitRepo) return fromRelease(d, { owner: s.gitOwner, repo: s.gitRepo }, downloadRefusals.githubDownload);
  if (s.url) {
    const gh = githubRepoOf(s.url);
    if (gh) return fromRelease(d, gh, downloadRefusals.githubDownload);
    try {
      return await fetchPackage(d, s.url);
    } catch (err) {
      throw refuse(downloadRefusals.newUrl(reason(err)));
    }
  }
  throw refuse(downloadRefusals.nothing);
}
