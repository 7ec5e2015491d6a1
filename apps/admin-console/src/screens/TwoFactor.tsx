import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import qrcode from 'qrcode-generator';
import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiFailure, MfaRequired, recoverySignIn, SignedIn, totpSetup, totpSignIn, webauthnOptions, webauthnSignIn } from '../api';
import { SignedOutHeader } from '../components/Layout';
import { Message, Messages } from '../components/Messages';
import { RecoveryCodes } from '../components/RecoveryCodes';
import { useI18n } from '../i18n';
import { Session } from '../session';
import { sessionOf } from './SignIn';

/** The otpauth URL as a QR code, drawn here: the secret never goes to an image service. */
function QrCode({ value, label }: { value: string; label: string }) {
  const qr = qrcode(0, 'M');
  qr.addData(value);
  qr.make();
  const count = qr.getModuleCount();
  const cells: string[] = [];
  for (let row = 0; row < count; row++)
    for (let col = 0; col < count; col++) if (qr.isDark(row, col)) cells.push(`M${col + 4},${row + 4}h1v1h-1z`);
  const size = count + 8;
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${size} ${size}`}
      width={size * 5}
      height={size * 5}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={cells.join('')} fill="#000" />
    </svg>
  );
}

/**
 * The browser's part of a WebAuthn ceremony (kept in this lazy chunk, off the sign-in page): the
 * server says whether to create a new credential or to use one, and the browser asks the key.
 */
export async function runWebAuthn(options: Awaited<ReturnType<typeof webauthnOptions>>): Promise<unknown> {
  return options.ceremony === 'register'
    ? startRegistration({ optionsJSON: options.options })
    : startAuthentication({ optionsJSON: options.options });
}

type Method = 'totp' | 'recovery' | 'key';

/**
 * "Two-Factor Authentication", after "Sign In": enrolls an authenticator app on the first sign-in
 * (QR code and the base32 secret), then asks for its code; "Use a security key" to enroll or use a
 * security key or passkey instead; a recovery code instead; the recovery codes of a first
 * enrolment shown once, with "Download".
 */
export function TwoFactor({
  email,
  challenge,
  onSignedIn,
  onRestart,
}: {
  email: string;
  challenge: MfaRequired;
  onSignedIn(session: Session): void;
  onRestart(message: string | null): void;
}) {
  const { t } = useI18n();
  const codeId = useId();
  const secretId = useId();
  const keyNameId = useId();
  const keyHintId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [setup, setSetup] = useState<{ secret: string; otpauth_url: string } | null>(null);
  // An admin whose only factors are keys starts with the key; everyone else with the code.
  const hasTotp = !challenge.enrolled || challenge.methods.includes('totp');
  const keyAllowed = !challenge.enrolled || challenge.methods.includes('webauthn');
  const [method, setMethod] = useState<Method>(hasTotp ? 'totp' : 'key');
  const useRecovery = method === 'recovery';
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [issued, setIssued] = useState<SignedIn | null>(null);

  useEffect(() => {
    document.title = `${t('mfa.title')} · ${t('app.title')}`;
  }, [t]);
  // The recovery codes replace the form: the focus moves to their heading (the code field has it before).
  useEffect(() => {
    if (issued) headingRef.current?.focus();
  }, [issued]);

  useEffect(() => {
    if (challenge.enrolled || method === 'key') return;
    if (setup) return;
    let live = true;
    totpSetup(challenge.mfa_token).then(
      (s) => live && setSetup(s),
      () => live && onRestart(t('mfa.expired')),
    );
    return () => {
      live = false;
    };
  }, [challenge, method, setup, onRestart, t]);

  /** Signs in with what the server answered, or says why not. */
  const finish = async (attempt: () => Promise<SignedIn>, invalidText: string) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await attempt();
      if (result.recovery_codes?.length) {
        setIssued(result);
        setBusy(false);
        return;
      }
      onSignedIn(sessionOf(result, email));
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : null;
      setBusy(false);
      if (failure?.status === 401 && /Sign in again/.test(failure.message)) onRestart(t('mfa.expired'));
      else if (failure?.status === 429) onRestart(t('signIn.tooMany'));
      else if (!failure) setMessage({ kind: 'error', text: t('mfa.securityKeyCancelled') });
      else setMessage({ kind: 'error', text: failure.status === 401 || failure.status === 403 ? invalidText : t('common.unavailable') });
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (method === 'key') {
      const name = String(new FormData(event.currentTarget).get('keyName') ?? '').trim();
      await finish(async () => {
        const options = await webauthnOptions(challenge.mfa_token);
        return webauthnSignIn(challenge.mfa_token, await runWebAuthn(options), name || undefined);
      }, t('mfa.securityKeyFailed'));
      return;
    }
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (!code) {
      setMessage({ kind: 'error', text: t('mfa.required') });
      return;
    }
    await finish(() => (useRecovery ? recoverySignIn(challenge.mfa_token, code) : totpSignIn(challenge.mfa_token, code)), t('mfa.invalid'));
  };

  const switchTo = (next: Method) => {
    setMessage(null);
    setMethod(next);
  };

  return (
    <>
      <SignedOutHeader />
      <main id="main" className="main main-narrow">
        <h1 ref={headingRef} tabIndex={-1}>
          {issued ? t('mfa.recoveryTitle') : t('mfa.title')}
        </h1>
        <Messages message={message} />
        {issued?.recovery_codes ? (
          <div className="card">
            <RecoveryCodes codes={issued.recovery_codes} email={email} intro={t('mfa.recoveryIntro')}>
              <button type="button" className="button button-primary" onClick={() => onSignedIn(sessionOf(issued, email))}>
                {t('mfa.continue')}
              </button>
            </RecoveryCodes>
          </div>
        ) : (
          <form className="form card" onSubmit={(e) => void submit(e)} noValidate>
            {method === 'key' ? (
              <>
                <p>{challenge.enrolled ? t('mfa.securityKeyIntro') : t('mfa.securityKeyEnrollIntro')}</p>
                {!challenge.enrolled && (
                  <div className="field">
                    <label htmlFor={keyNameId}>{t('mfa.keyName')}</label>
                    <input
                      id={keyNameId}
                      name="keyName"
                      type="text"
                      maxLength={100}
                      autoComplete="off"
                      aria-describedby={keyHintId}
                      autoFocus
                    />
                    <p id={keyHintId} className="hint">
                      {t('mfa.keyNameHint')}
                    </p>
                  </div>
                )}
                {busy && <p role="status">{t('mfa.securityKeyWaiting')}</p>}
              </>
            ) : (
              <>
                {!challenge.enrolled && !useRecovery && (
                  <>
                    <p>{t('mfa.enrollIntro')}</p>
                    {setup ? (
                      <>
                        <QrCode value={setup.otpauth_url} label={t('mfa.qrLabel')} />
                        <p id={secretId}>
                          {t('mfa.secretLabel')} <code className="totp-secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
                        </p>
                      </>
                    ) : (
                      <p role="status">{t('mfa.loading')}</p>
                    )}
                  </>
                )}
                <div className="field">
                  <label htmlFor={codeId}>{useRecovery ? t('mfa.recoveryCode') : t('mfa.code')}</label>
                  <input
                    key={method}
                    id={codeId}
                    name="code"
                    type="text"
                    inputMode={useRecovery ? 'text' : 'numeric'}
                    autoComplete="one-time-code"
                    maxLength={useRecovery ? 20 : 6}
                    required
                    autoFocus
                    aria-describedby={!challenge.enrolled && setup && !useRecovery ? secretId : undefined}
                  />
                </div>
              </>
            )}
            <div className="actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={busy || (method === 'totp' && !challenge.enrolled && !setup)}
                autoFocus={method === 'key' && challenge.enrolled}
              >
                {method === 'key' ? t('mfa.securityKeyContinue') : t('mfa.verify')}
              </button>
              {keyAllowed && method !== 'key' && (
                <button type="button" className="button button-secondary" onClick={() => switchTo('key')}>
                  {t('mfa.useSecurityKey')}
                </button>
              )}
              {hasTotp && method !== 'totp' && (
                <button type="button" className="button button-secondary" onClick={() => switchTo('totp')}>
                  {t('mfa.useAuthenticator')}
                </button>
              )}
              {challenge.enrolled && method !== 'recovery' && (
                <button type="button" className="button button-secondary" onClick={() => switchTo('recovery')}>
                  {t('mfa.useRecovery')}
                </button>
              )}
              <button type="button" className="button button-secondary" onClick={() => onRestart(null)}>
                {t('mfa.cancel')}
              </button>
            </div>
          </form>
        )}
      </main>
    </>
  );
}
