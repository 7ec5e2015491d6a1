import qrcode from 'qrcode-generator';
import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiFailure, MfaRequired, recoverySignIn, SignedIn, totpSetup, totpSignIn } from '../api';
import { LanguageSwitch } from '../components/Layout';
import { Message, Messages } from '../components/Messages';
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
 * "Two-Factor Authentication", after "Sign In": enrolls an authenticator app on the first sign-in
 * (QR code and the base32 secret), then asks for its code; a recovery code instead; the recovery
 * codes of a first enrolment shown once, with "Download".
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
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [setup, setSetup] = useState<{ secret: string; otpauth_url: string } | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
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
    if (challenge.enrolled) return;
    let live = true;
    totpSetup(challenge.mfa_token).then(
      (s) => live && setSetup(s),
      () => live && onRestart(t('mfa.expired')),
    );
    return () => {
      live = false;
    };
  }, [challenge, onRestart, t]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (!code) {
      setMessage({ kind: 'error', text: t('mfa.required') });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const result = useRecovery ? await recoverySignIn(challenge.mfa_token, code) : await totpSignIn(challenge.mfa_token, code);
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
      else setMessage({ kind: 'error', text: t(failure?.status === 401 ? 'mfa.invalid' : 'common.unavailable') });
    }
  };

  const download = (codes: string[]) => {
    const blob = new Blob([`${t('mfa.recoveryFileTitle', { email })}\n\n${codes.join('\n')}\n`], { type: 'text/plain' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'customer-access-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <>
      <header className="header">
        <p className="brand">{t('app.title')}</p>
        <div className="header-tools">
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="main main-narrow">
        <h1 ref={headingRef} tabIndex={-1}>
          {issued ? t('mfa.recoveryTitle') : t('mfa.title')}
        </h1>
        <Messages message={message} />
        {issued?.recovery_codes ? (
          <div className="card">
            <p>{t('mfa.recoveryIntro')}</p>
            <ul className="recovery-codes">
              {issued.recovery_codes.map((code) => (
                <li key={code}>
                  <code>{code}</code>
                </li>
              ))}
            </ul>
            <div className="actions">
              <button type="button" className="button button-secondary" onClick={() => download(issued.recovery_codes!)}>
                {t('mfa.download')}
              </button>
              <button type="button" className="button button-primary" onClick={() => onSignedIn(sessionOf(issued, email))}>
                {t('mfa.continue')}
              </button>
            </div>
          </div>
        ) : (
          <form className="form card" onSubmit={(e) => void submit(e)} noValidate>
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
                key={useRecovery ? 'recovery' : 'totp'}
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
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={busy || (!challenge.enrolled && !setup && !useRecovery)}>
                {t('mfa.verify')}
              </button>
              {challenge.enrolled && (
                <button type="button" className="button button-secondary" onClick={() => setUseRecovery((v) => !v)}>
                  {useRecovery ? t('mfa.useAuthenticator') : t('mfa.useRecovery')}
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
