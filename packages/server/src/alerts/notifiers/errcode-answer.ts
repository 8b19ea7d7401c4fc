import { answerField, expectOk, type ServiceAnswer } from './http.ts';

/**
 * DingTalk and WeCom robots answer HTTP 200 for refusals too; the verdict is `errcode` (0 = sent)
 * and the reason is `errmsg` ("token is not exist", "invalid webhook url").
 */
export function expectErrcodeZero(service: string, res: ServiceAnswer): void {
  expectOk(service, res);
  const code = answerField(res, 'errcode');
  if (code === 0) return;
  const reason = answerField(res, 'errmsg');
  throw new Error(`${service} answered errcode ${String(code)}: ${typeof reason === 'string' ? reason : res.text}`);
}
