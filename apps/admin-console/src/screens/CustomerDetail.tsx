import { useCallback, useEffect, useState } from 'react';
import { AdminApi, ApiFailure, AuditEvent, Customer, EmailLogItem } from '../api';
import { AuditTable } from '../components/AuditTable';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Message, Messages } from '../components/Messages';
import { Translate, useI18n } from '../i18n';
import { can, Session } from '../session';
import { emailStatusLabel, linkStateLabel, templateLabel } from './labels';

/** The API's answers in the admin's language; an answer the console does not know is shown as sent. */
function outcome(t: Translate, error: unknown): Message {
  if (!(error instanceof ApiFailure)) return { kind: 'error', text: t('common.unavailable') };
  const key = { CUSTOMER_HAS_NO_TOKENS: 'customer.noTokens', NOT_FOUND: 'customer.notFound', FORBIDDEN: 'common.forbidden' }[error.code];
  return { kind: 'error', text: key ? t(key) : error.message || t('common.unavailable') };
}

/** The account, its recent emails and its audit events; each may fail on its own. */
const loadCustomerPage = (api: AdminApi, id: string) =>
  Promise.allSettled([api.customer(id), api.customerEmails(id), api.auditEvents({ customerId: id, page: 1, pageSize: 10 })]);
type Loaded = Awaited<ReturnType<typeof loadCustomerPage>>;

export function CustomerDetail(props: { api: AdminApi; session: Session; id: string; onLoaded(customer: Customer | null): void }) {
  const { api, id, onLoaded } = props;
  const { t, formatDate, formatNumber } = useI18n();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [missing, setMissing] = useState(false);
  const [emails, setEmails] = useState<EmailLogItem[] | 'unavailable' | null>(null);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const apply = useCallback(
    ([details, mail, audit]: Loaded) => {
      if (details.status === 'fulfilled') {
        setCustomer(details.value);
        onLoaded(details.value);
      } else {
        setMissing(true);
        onLoaded(null);
        setMessage(outcome(t, details.reason));
      }
      setEmails(mail.status === 'fulfilled' ? mail.value.items : 'unavailable');
      setEvents(audit.status === 'fulfilled' ? audit.value.items : []);
    },
    [onLoaded, t],
  );

  useEffect(() => {
    let current = true;
    void loadCustomerPage(api, id).then((loaded) => current && apply(loaded));
    return () => {
      current = false;
    };
  }, [api, id, apply]);

  const act = async (action: () => Promise<unknown>, successKey: string) => {
    setBusy(true);
    setMessage(null);
    try {
      await action();
      setMessage({ kind: 'success', text: t(successKey) });
    } catch (error) {
      setMessage(outcome(t, error));
    } finally {
      setBusy(false);
      void loadCustomerPage(api, id).then(apply);
    }
  };

  const answer = (confirmed: boolean) => {
    setConfirming(false);
    if (confirmed) void act(() => api.forceSignIn(id), 'customer.tokensRevoked');
  };

  if (missing) return <Messages message={message} />;
  return (
    <>
      <div className="actions actions-page">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || !customer}
          onClick={() => void act(() => api.resetPassword(id), 'customer.resetSent')}
        >
          {t('customer.resetPassword')}
        </button>
        {can(props.session, 'customers.invalidate_tokens') && (
          <button type="button" className="button button-secondary" disabled={busy || !customer} onClick={() => setConfirming(true)}>
            {t('customer.forceSignIn')}
          </button>
        )}
      </div>
      <ConfirmDialog open={confirming} text={t('customer.confirmForceSignIn')} onAnswer={answer} />
      <Messages message={message} />
      {customer && (
        <section className="card" aria-labelledby="account-heading">
          <h2 id="account-heading">{t('customer.account')}</h2>
          <dl className="details">
            <dt>{t('customers.email')}</dt>
            <dd className="break">{customer.email}</dd>
            <dt>{t('customer.firstName')}</dt>
            <dd>{customer.firstName}</dd>
            <dt>{t('customer.lastName')}</dt>
            <dd>{customer.lastName}</dd>
            <dt>{t('customers.locale')}</dt>
            <dd>{customer.locale}</dd>
            <dt>{t('customers.since')}</dt>
            <dd>{formatDate(customer.createdAt)}</dd>
            <dt>{t('customers.activeTokens')}</dt>
            <dd>{formatNumber(customer.activeTokenCount)}</dd>
            <dt>{t('customer.lockedUntil')}</dt>
            <dd>{customer.lockedUntil ? formatDate(customer.lockedUntil) : t('customer.notLocked')}</dd>
            <dt>{t('customer.id')}</dt>
            <dd className="break">{customer.id}</dd>
          </dl>
        </section>
      )}
      <section className="card" aria-labelledby="emails-heading">
        <h2 id="emails-heading">{t('emails.title')}</h2>
        {emails === 'unavailable' && <p>{t('emails.unavailable')}</p>}
        {Array.isArray(emails) && (
          <div className="table-wrap" role="region" aria-labelledby="emails-heading" tabIndex={0}>
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{t('emails.requestedAt')}</th>
                  <th scope="col">{t('emails.template')}</th>
                  <th scope="col">{t('emails.status')}</th>
                  <th scope="col">{t('emails.link')}</th>
                  <th scope="col">{t('emails.sentAt')}</th>
                  <th scope="col" className="numeric">
                    {t('emails.attempts')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {emails.length === 0 && (
                  <tr>
                    <td colSpan={6}>{t('emails.none')}</td>
                  </tr>
                )}
                {emails.map((email) => (
                  <tr key={email.id}>
                    <td>{formatDate(email.requestedAt)}</td>
                    <td>{templateLabel(t, email.template)}</td>
                    <td>
                      {emailStatusLabel(t, email.status)}
                      {email.lastError && <span className="muted"> ({email.lastError})</span>}
                    </td>
                    <td>{linkStateLabel(t, email.link)}</td>
                    <td>{formatDate(email.sentAt)}</td>
                    <td className="numeric">{formatNumber(email.attempts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">{t('customer.auditEvents')}</h2>
        {events && <AuditTable events={events} label={t('customer.auditEvents')} showCustomer={false} />}
      </section>
    </>
  );
}
