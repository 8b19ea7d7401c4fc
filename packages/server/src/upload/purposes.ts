import type { MergedUpload } from './upload-service.ts';

/** Who finished an upload, for the audit log. */
export interface Uploader {
  ip: string;
  actor: string;
}

/** What a purpose answers once it has taken a merged upload. */
export interface FinishedUpload {
  message: string;
  data: unknown;
  /** work that must wait until the answer is on its way (a restore restarts the server) */
  afterAnswer?(): Promise<void>;
}

/**
 * What an upload is for (`purpose` of `/upload/init`) and what is done with the merged file:
 * "backup" restores it (backup/restore-upload.ts); a theme package will install one. The merged
 * file is deleted after `finish` returns or throws: a purpose that keeps it moves it away first.
 * A refusal is thrown as `AppError`, and the upload is then cancelled.
 */
export interface UploadPurpose {
  name: string;
  finish(upload: MergedUpload, who: Uploader): Promise<FinishedUpload>;
}
