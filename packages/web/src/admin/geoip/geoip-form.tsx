// An address in, a country out (or why not). Nothing is stored.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { regionFlag } from '../../lib/format.ts';
import { MessageLine } from '../../lib/message-line.tsx';
import { errorText } from '../shared/error-text.ts';
import { disabledMessage, testGeoip, type GeoipAnswer } from './geoip-api.ts';

export function GeoipForm() {
  const { t } = useTranslation('admin-geoip');
  const [ip, setIp] = useState('');
  const [answer, setAnswer] = useState<{ ip: string; geo: GeoipAnswer }>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setAnswer(undefined);
    const asked = ip.trim();
    try {
      setAnswer({ ip: asked, geo: await testGeoip(asked) });
    } catch (err) {
      setError(err instanceof Error && err.message === disabledMessage ? t('disabled') : errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card geoip-form" onSubmit={(e) => void submit(e)} data-testid="geoip-form" noValidate>
      <div className="geoip-row">
        <label>
          <span>{t('ip')}</span>
          <input name="ip" value={ip} onChange={(e) => setIp(e.target.value)} placeholder={t('ipHint')} spellCheck={false} autoCapitalize="off" inputMode="url" />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="geoip-lookup">
          {t('lookup')}
        </button>
      </div>
      <MessageLine text={error} testId="geoip-error" />
      {answer && (
        <p className="geoip-answer" role="status" data-testid="geoip-answer">
          {answer.geo.ISOCode ? (
            <>
              <span aria-hidden="true">{regionFlag(answer.geo.ISOCode)}</span> <strong>{answer.geo.Name || answer.geo.ISOCode}</strong>{' '}
              <code>{answer.geo.ISOCode}</code>
            </>
          ) : (
            t('unknown')
          )}
          <span className="muted"> · {answer.ip || t('yourAddress')}</span>
        </p>
      )}
    </form>
  );
}
