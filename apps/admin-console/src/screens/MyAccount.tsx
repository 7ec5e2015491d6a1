import { FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { AdminApi, ApiFailure, MfaFactor, MyFactors } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Message, Messages } from '../components/Messages';
import { RecoveryCodes } from '../components/RecoveryCodes';
import { Translate, useI18n } from '../i18n';
import { Session } from '../session';
import { runWebAuthn } from './TwoFactor';

function factorType(t: Translate, factor: MfaFactor): string {
  if (factor.kind === 'totp') return t('account.typeTotp');
  return factor.deviceType === 'multiDevice' ? t('account.typePasskey') : t('account.typeSecurityKey');
}

/** The authenticator app's stored name is the server's English default: shown in the admin's language. */
const nameOf = (t: Translate, factor: MfaFactor): string => (factor.kind === 'totp' ? t('account.typeTotp') : factor.name);

type Confirming = { kind: 'remove'; factor: MfaFactor } | { kind: 'regenerate' } | null;

/**
 * "My Account": the signed-in admin's second factors (remove one, add a security key or passkey)
 * and recovery codes (new ones, shown once with "Download"). The server keeps the rules: the only
 * factor cannot be removed while a second factor is required.
 */
export function MyAccount({ api, session }: { api: AdminApi; session: Session }) {
  const { t, formatDate } = useI18n();
  const ids = { keyName: useId(), keyHint: useId(), lastFactor: useId() };
  const [factors, setFactors] = useState<MyFactors | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const codesHeading = useRef<HTMLHeadingElement>(null);
  const keyForm = useRef<HTMLFormElement>(null);

  const load = useCallback(
    () =>
      api.myFactors().then(setFactors, () => {
        setMessage({ kind: 'error', text: t('common.unavailable') });
      }),
    [api, t],
  );
  useEffect(() => {
    void load();
  }, [load]);
  // New codes replace the recovery section's button: their heading takes the focus.
  useEffect(() => {
    if (newCodes) codesHeading.current?.focus();
  }, [newCodes]);

  const refused = (error: unknown, fallback: string): Message => {
    if (!(error instanceof ApiFailure)) return { kind: 'error', text: t('mfa.securityKeyCancelled') };
    if (error.status === 403 && /only second factor/.test(error.message)) return { kind: 'error', text: t('account.lastFactor') };
    return { kind: 'error', text: error.status === 401 || error.status === 403 ? fallback : t('common.unavailable') };
  };

  const addKey = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('keyName') ?? '').trim() || t('account.typeSecurityKey');
    setBusy(true);
    setMessage(null);
    try {
      const options = await api.securityKeyOptions();
      const added = await api.addSecurityKey(await runWebAuthn(options), name);
      keyForm.current?.reset();
      setMessage({ kind: 'success', text: t('account.keyAdded', { name: added.name }) });
      await load();
    } catch (error) {
      setMessage(refused(error, t('mfa.securityKeyFailed')));
    } finally {
      setBusy(false);
    }
  };

  const answer = async (confirmed: boolean) => {
    const what = confirming;
    setConfirming(null);
    if (!confirmed || !what) return;
    setBusy(true);
    setMessage(null);
    try {
      if (what.kind === 'remove') {
        await api.removeFactor(what.factor.id);
        setMessage({ kind: 'success', text: t('account.removed', { name: nameOf(t, what.factor) }) });
      } else {
        setNewCodes((await api.regenerateRecoveryCodes()).recovery_codes);
      }
      await load();
    } catch (error) {
      setMessage(refused(error, t('common.forbidden')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ConfirmDialog
        open={confirming !== null}
        text={
          confirming?.kind === 'remove'
            ? t('account.removeConfirm', { name: nameOf(t, confirming.factor) })
            : t('account.regenerateConfirm')
        }
        onAnswer={(confirmed) => void answer(confirmed)}
      />
      <Messages message={message} />
      <section className="card" aria-labelledby="factors-heading">
        <h2 id="factors-heading">{t('account.factorsTitle')}</h2>
        <p>{t('account.factorsIntro')}</p>
        {!factors ? (
          <p role="status">{t('account.loading')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="factors-heading" tabIndex={0}>
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{t('account.name')}</th>
                  <th scope="col">{t('account.type')}</th>
                  <th scope="col">{t('account.created')}</th>
                  <th scope="col">{t('account.lastUsed')}</th>
                  <th scope="col">{t('account.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {factors.items.map((factor) => {
                  // The server refuses to remove the only factor while one is required: say so instead of offering it.
                  const kept = factors.lastFactorKept && factors.items.length === 1;
                  return (
                    <tr key={factor.id}>
                      <td>{nameOf(t, factor)}</td>
                      <td>{factorType(t, factor)}</td>
                      <td>{formatDate(factor.createdAt)}</td>
                      <td>{factor.lastUsedAt ? formatDate(factor.lastUsedAt) : t('account.never')}</td>
                      <td>
                        <button
                          type="button"
                          className="button button-secondary"
                          aria-label={t('account.removeLabel', { name: nameOf(t, factor) })}
                          aria-describedby={kept ? ids.lastFactor : undefined}
                          disabled={busy || kept}
                          onClick={() => setConfirming({ kind: 'remove', factor })}
                        >
                          {t('account.remove')}
                        </button>
                        {kept && (
                          <p id={ids.lastFactor} className="hint">
                            {t('account.lastFactor')}
                          </p>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="add-key-heading">
        <h2 id="add-key-heading">{t('account.addKeyTitle')}</h2>
        <p>{t('account.addKeyIntro')}</p>
        <form ref={keyForm} className="form" onSubmit={(e) => void addKey(e)} noValidate>
          <div className="field">
            <label htmlFor={ids.keyName}>{t('mfa.keyName')}</label>
            <input id={ids.keyName} name="keyName" type="text" maxLength={100} autoComplete="off" aria-describedby={ids.keyHint} />
            <p id={ids.keyHint} className="hint">
              {t('mfa.keyNameHint')}
            </p>
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {t('account.addKey')}
            </button>
          </div>
        </form>
      </section>
      <section className="card" aria-labelledby="recovery-heading">
        <h2 id="recovery-heading" ref={codesHeading} tabIndex={-1}>
          {t('account.recoveryTitle')}
        </h2>
        {newCodes ? (
          <RecoveryCodes codes={newCodes} email={session.email} intro={t('account.newCodesIntro')}>
            <button type="button" className="button button-primary" onClick={() => setNewCodes(null)}>
              {t('account.done')}
            </button>
          </RecoveryCodes>
        ) : (
          <>
            {factors && <p>{t('account.recoveryLeft', { count: String(factors.recoveryCodesLeft) })}</p>}
            <div className="actions">
              <button
                type="button"
                className="button button-secondary"
                disabled={busy || !factors || factors.items.length === 0}
                onClick={() => setConfirming({ kind: 'regenerate' })}
              >
                {t('account.regenerate')}
              </button>
            </div>
          </>
        )}
      </section>
    </>
  );
}
