import { answerField, expectOk, type ServiceAnswer } from './http.ts';

/**
 * Komari counts any 2xx from ServerChan as delivered. Both ServerChan APIs also answer
 * `{"code":0,…}` on success and a non-zero `code` with a `message` (or `info`) when they refuse:
 * komari-ts reports that refusal instead of a silent success.
 */
export function expectServerChanOk(res: ServiceAnswer): void {
  expectOk('ServerChan', res);
  const code = answerField(res, 'code');
  if (typeof code !== 'number' || code === 0) return;
  const reason = answerField(res, 'message') ?? answerField(res, 'info');
  throw new Error(`ServerChan answered code ${code}: ${typeof reason === 'string' ? reason : res.text}`);
}

/** Komari trims both parts and refuses a notice where both are empty. */
export function titleAndDesp(title: string, text: string): { title: string; desp: string } {
  const t = title.trim();
  const d = text.trim();
  if (t === '' && d === '') throw new Error('title and message are both empty');
  return { title: t, desp: d };
}
