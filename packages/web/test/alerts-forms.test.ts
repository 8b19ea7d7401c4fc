import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeUrl } from '../src/admin/alerts/channel-form.ts';
import { FormProblem, needWhole, numberIn, wholeIn } from '../src/admin/alerts/rule-form.ts';
import { isSecretField } from '../src/admin/sso/sso-form.ts';

describe('alerts page forms', () => {
  it('reads whole numbers and decimals only inside their bounds', () => {
    assert.deepEqual(['5', ' 240 ', '0', '241', '2.5', '', 'x'].map((t) => wholeIn(t, 1, 240)), [5, 240, undefined, undefined, undefined, undefined, undefined]);
    assert.deepEqual(['0.5', '1', '0', '1.01', '', 'NaN'].map((t) => numberIn(t, 0, 1)), [0.5, 1, 0, undefined, undefined, undefined]);
  });

  it('names the field and its bounds when a number is refused', () => {
    assert.throws(() => needWhole('300', 1, 240, 'Window'), (err: unknown) => err instanceof FormProblem && err.message === 'errors.whole' && err.values.field === 'Window' && err.values.max === 240);
  });

  it('takes a pasted channel URL only in scheme://… form', () => {
    assert.deepEqual(['ntfy://ntfy.sh/topic', 'mailto://u:p@smtp.example?to=a@b', 'tgram://123:ABC/456', 'ntfy.sh/topic', 'tgram://', 'a b://x'].map(looksLikeUrl), [true, true, true, false, false, false]);
  });

  it('masks the senders’ tokens and passwords but not an address named token_url', () => {
    assert.deepEqual(['bot_token', 'access_token', 'token', 'password', 'device_key', 'secret', 'token_url', 'chat_id', 'api_url'].map(isSecretField), [true, true, true, true, true, true, false, false, false]);
  });
});
