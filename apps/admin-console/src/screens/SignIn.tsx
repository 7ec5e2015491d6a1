import { FormEvent, lazy, Suspense, useEffect, useId, useState } from 'react';
import { ApiFailure, MfaRequired, signIn, SignedIn } from '../api';
import { SignedOutHeader } from '../components/Layout';
import { Message, Messages } from '../components/Messages';
import { useI18n } from '../i18n';
import { Session } from '../session';

/** The second step (with its QR code library) loads only once a password was accepted. */
const TwoFactor = lazy(() => import('./TwoFactor').then((m) => ({ default: m.TwoFactor })));

export function sessionOf(issued: SignedIn, email: string): Session {
  return {
    token: issued.access_token,
    email,
    role: issued.role,
    permissions: issued.permissions,
    expiresAt: Date.now() + issued.expires_in * 1000,
  };
}

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn(session: Session): void }) {
  const { t } = useI18n();
  const emailId = useId();
  const passwordId = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(notice ? { kind: 'error', text: notice } : null);
  const [challenge, setChallenge] = useState<{ email: string; mfa: MfaRequired } | null>(null);

  useEffect(() => {
    document.title = `${t('signIn.title')} · ${t('app.title')}`;
  }, [t]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) {
      setMessage({ kind: 'error', text: t('signIn.required') });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const issued = await signIn(email, password);
      if ('mfa_required' in issued) {
        setChallenge({ email, mfa: issued });
        setBusy(false);
        return;
      }
      onSignedIn(sessionOf(issued, email));
    } catch (error) {
      const status = error instanceof ApiFailure ? error.status : 0;
      setMessage({ kind: 'error', text: t(status === 401 ? 'signIn.failed' : status === 429 ? 'signIn.tooMany' : 'common.unavailable') });
      setBusy(false);
    }
  };

  if (challenge) {
    return (
      <Suspense fallback={null}>
        <TwoFactor
          email={challenge.email}
          challenge={challenge.mfa}
          onSignedIn={onSignedIn}
          onRestart={(text) => {
            setChallenge(null);
            setMessage(text ? { kind: 'error', text } : null);
          }}
        />
      </Suspense>
    );
  }

  return (
    <>
      <SignedOutHeader />
      <main id="main" className="main main-narrow">
        <h1>{t('signIn.title')}</h1>
        <Messages message={message} />
        <form className="form card" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor={emailId}>{t('signIn.email')}</label>
            <input id={emailId} name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div className="field">
            <label htmlFor={passwordId}>{t('signIn.password')}</label>
            <input id={passwordId} name="password" type="password" autoComplete="current-password" required />
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {t('signIn.submit')}
            </button>
          </div>
        </form>
      </main>
    </>
  );
}
