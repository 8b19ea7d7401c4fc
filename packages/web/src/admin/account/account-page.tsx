// Admin → Account: the sign-in name and password, the API key, two-factor sign-in and the bound
// external account.
import { useTranslation } from 'react-i18next';
import { ApiKeyCard } from './api-key-card.tsx';
import { ExternalAccountCard } from './external-account-card.tsx';
import { PasswordForm } from './password-form.tsx';
import { TwoFactorCard } from './two-factor-card.tsx';
import { UsernameForm } from './username-form.tsx';
import '../shared/tools-page.css';
import './account.css';

export default function AccountPage() {
  const { t } = useTranslation('admin-account');
  return (
    <section className="tools-page account-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
      </div>
      <div className="account-grid">
        <UsernameForm />
        <PasswordForm />
        <ApiKeyCard />
        <TwoFactorCard />
        <ExternalAccountCard />
      </div>
    </section>
  );
}
