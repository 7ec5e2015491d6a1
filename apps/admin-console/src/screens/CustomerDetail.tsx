import { FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { AdminApi, ApiFailure, AuditEvent, Customer, CustomerEdit, EmailLogItem, StoreView, Website } from '../api';
import { AuditTable } from '../components/AuditTable';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Message, Messages } from '../components/Messages';
import { languageLabel, LOCALES, Translate, useI18n } from '../i18n';
import { href, Link, navigate } from '../router';
import { download } from './AuditLog';
import { can, Session } from '../session';
import { emailStatusLabel, linkStateLabel, templateLabel } from './labels';

/** The API's answers in the admin's language; an answer the console does not know is shown as sent. */
function outcome(t: Translate, error: unknown): Message {
  if (!(error instanceof ApiFailure)) return { kind: 'error', text: t('common.unavailable') };
  // Nothing to revoke is information, not a failure.
  if (error.code === 'CUSTOMER_HAS_NO_TOKENS') return { kind: 'info', text: t('customer.noTokens') };
  const key = { NOT_FOUND: 'customer.notFound', FORBIDDEN: 'common.forbidden', EMAIL_TAKEN: 'customer.emailTaken' }[error.code];
  return { kind: 'error', text: key ? t(key) : error.message || t('common.unavailable') };
}

/** The account, its recent emails and its audit events; each may fail on its own. */
const loadCustomerPage = (api: AdminApi, id: string) =>
  Promise.allSettled([api.customer(id), api.customerEmails(id), api.auditEvents({ customerId: id, page: 1, pageSize: 10 })]);
type Loaded = Awaited<ReturnType<typeof loadCustomerPage>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
type Draft = Required<CustomerEdit>;
type FieldErrors = Partial<Record<keyof Draft, string>>;
const toDraft = (c: Customer): Draft => ({ firstName: c.firstName, lastName: c.lastName, email: c.email, locale: c.locale });

function validate(t: Translate, draft: Draft): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.firstName.trim()) errors.firstName = t('common.required');
  if (!draft.lastName.trim()) errors.lastName = t('common.required');
  if (!draft.email.trim()) errors.email = t('common.required');
  else if (!EMAIL.test(draft.email.trim()) || draft.email.trim().length > 254) errors.email = t('common.invalidEmail');
  return errors;
}

/**
 * A customer, as Magento's customer page: the page actions (Back, Unlock, Reset Password, Force
 * Sign In, Save Customer), Account Information (editable with customers.edit), the customer view,
 * recent emails and admin actions. Buttons stay focusable while an action runs (aria-disabled), so
 * the focus stays on the button that was pressed, or comes back to it from the confirmation.
 */
export function CustomerDetail(props: { api: AdminApi; session: Session; id: string; onLoaded(customer: Customer | null): void }) {
  const { api, id, onLoaded, session } = props;
  const { t, formatDate, formatNumber } = useI18n();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [missing, setMissing] = useState(false);
  const [emails, setEmails] = useState<EmailLogItem[] | 'unavailable' | null>(null);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const ids = { form: useId(), firstName: useId(), lastName: useId(), email: useId(), locale: useId(), forceHelp: useId() };
  const mayEdit = can(session, 'customers.edit');
  const [stores, setStores] = useState<{ websites: Website[]; views: StoreView[] } | null>(null);

  // The names of the customer's website and store view, for a role that may read the stores;
  // any other role sees their codes.
  useEffect(() => {
    if (!can(session, 'stores.manage')) return;
    let current = true;
    Promise.all([api.websites(), api.storeViews()]).then(
      ([websites, views]) => current && setStores({ websites, views }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, session]);
  const named = (list: Array<{ code: string; name: string }> | undefined, code: string | undefined) => {
    if (!code) return '—';
    const name = list?.find((item) => item.code === code)?.name;
    return name && name !== code ? `${name} (${code})` : code;
  };

  const apply = useCallback(
    ([details, mail, audit]: Loaded, resetDraft: boolean) => {
      if (details.status === 'fulfilled') {
        setCustomer(details.value);
        if (resetDraft) setDraft(toDraft(details.value));
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
    void loadCustomerPage(api, id).then((loaded) => current && apply(loaded, true));
    return () => {
      current = false;
    };
  }, [api, id, apply]);

  /** Runs one action at a time; the page is read again afterwards (the draft too, after a save). */
  const act = async (action: () => Promise<unknown>, successKey: string, refreshForm = false) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    let resetDraft = false;
    try {
      await action();
      setMessage({ kind: 'success', text: t(successKey) });
      resetDraft = refreshForm;
    } catch (error) {
      const result = outcome(t, error);
      setMessage(result);
      if (error instanceof ApiFailure && error.code === 'EMAIL_TAKEN') setFieldErrors({ email: result.text });
    } finally {
      setBusy(false);
      void loadCustomerPage(api, id).then((loaded) => apply(loaded, resetDraft));
    }
  };

  const answer = (confirmed: boolean) => {
    setConfirming(false);
    if (confirmed) void act(() => api.forceSignIn(id), 'customer.tokensRevoked');
  };

  /** Export data: the server's JSON saved as a file (no second request, no token in an address). */
  const exportData = () =>
    void act(async () => {
      const data = await api.exportCustomer(id);
      download(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), `customer-${id}.json`);
    }, 'customer.exported');

  const answerDelete = (confirmed: boolean) => {
    setConfirmingDelete(false);
    if (!confirmed || busy) return;
    setBusy(true);
    setMessage(null);
    api.deleteCustomer(id).then(
      () => navigate(href('customers')),
      (error: unknown) => {
        setBusy(false);
        setMessage(outcome(t, error));
      },
    );
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!draft || !customer || busy) return;
    const errors = validate(t, draft);
    setFieldErrors(errors);
    const firstInvalid = (Object.keys(draft) as Array<keyof Draft>).find((name) => errors[name]);
    if (firstInvalid) {
      setMessage({ kind: 'error', text: t('common.fixErrors') });
      form.current?.querySelector<HTMLElement>(`[name="${firstInvalid}"]`)?.focus();
      return;
    }
    const edit: CustomerEdit = {};
    for (const name of Object.keys(draft) as Array<keyof Draft>) if (draft[name].trim() !== customer[name]) edit[name] = draft[name].trim();
    void act(() => api.updateCustomer(id, edit), 'customer.saved', true);
  };

  if (missing) return <Messages message={message} />;
  const locked = Boolean(customer?.lockedUntil);
  const languages = [...new Set([...Object.keys(LOCALES), ...(customer ? [customer.locale] : [])])];
  const set = (name: keyof Draft, value: string) => setDraft((d) => (d ? { ...d, [name]: value } : d));
  const fieldProps = (name: keyof Draft, id: string) => ({
    id,
    name,
    value: draft?.[name] ?? '',
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
    'aria-invalid': fieldErrors[name] ? true : undefined,
    'aria-describedby': fieldErrors[name] ? `${id}-error` : undefined,
  });
  const fieldError = (name: keyof Draft, id: string) =>
    fieldErrors[name] && (
      <p id={`${id}-error`} className="field-error">
        {fieldErrors[name]}
      </p>
    );

  return (
    <>
      <div className="page-actions" role="group" aria-label={t('customer.pageActions')}>
        <Link className="button button-secondary" href={href('customers')}>
          {t('common.back')}
        </Link>
        {mayEdit && locked && (
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={busy}
            onClick={() => void act(() => api.unlockCustomer(id), 'customer.unlocked')}
          >
            {t('customer.unlock')}
          </button>
        )}
        <button
          type="button"
          className="button button-secondary"
          aria-disabled={busy || !customer}
          onClick={() => customer && void act(() => api.resetPassword(id), 'customer.resetSent')}
        >
          {t('customer.resetPassword')}
        </button>
        {can(session, 'customers.invalidate_tokens') && (
          <span className="action-with-note">
            <button
              type="button"
              className="button button-secondary"
              aria-disabled={busy || !customer}
              aria-describedby={ids.forceHelp}
              onClick={() => customer && !busy && setConfirming(true)}
            >
              {t('customer.forceSignIn')}
            </button>
            <span id={ids.forceHelp} className="hint">
              {t('customer.forceSignInHelp')}
            </span>
          </span>
        )}
        <button
          type="button"
          className="button button-secondary"
          aria-disabled={busy || !customer}
          onClick={() => customer && exportData()}
        >
          {t('customer.exportData')}
        </button>
        {can(session, 'customers.delete') && (
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={busy || !customer}
            onClick={() => customer && !busy && setConfirmingDelete(true)}
          >
            {t('customer.deleteCustomer')}
          </button>
        )}
        {mayEdit && (
          <button type="submit" form={ids.form} className="button button-primary" aria-disabled={busy || !draft}>
            {t('customer.saveCustomer')}
          </button>
        )}
      </div>
      <ConfirmDialog open={confirming} text={t('customer.confirmForceSignIn')} onAnswer={answer} />
      <ConfirmDialog open={confirmingDelete} text={t('customer.confirmDelete')} onAnswer={answerDelete} />
      <Messages message={message} />
      {customer && (
        <section className="card" aria-labelledby="account-heading">
          <h2 id="account-heading">{t('customer.account')}</h2>
          {mayEdit && draft ? (
            <form id={ids.form} ref={form} className="form" onSubmit={save} noValidate>
              <div className="field">
                <label htmlFor={ids.firstName}>{t('customer.firstName')}</label>
                <input type="text" maxLength={255} autoComplete="off" {...fieldProps('firstName', ids.firstName)} />
                {fieldError('firstName', ids.firstName)}
              </div>
              <div className="field">
                <label htmlFor={ids.lastName}>{t('customer.lastName')}</label>
                <input type="text" maxLength={255} autoComplete="off" {...fieldProps('lastName', ids.lastName)} />
                {fieldError('lastName', ids.lastName)}
              </div>
              <div className="field">
                <label htmlFor={ids.email}>{t('customer.email')}</label>
                <input type="email" maxLength={254} autoComplete="off" {...fieldProps('email', ids.email)} />
                {fieldError('email', ids.email)}
              </div>
              <div className="field">
                <label htmlFor={ids.locale}>{t('customer.language')}</label>
                <select {...fieldProps('locale', ids.locale)}>
                  {languages.map((tag) => (
                    <option key={tag} value={tag} lang={tag}>
                      {languageLabel(tag)}
                    </option>
                  ))}
                </select>
              </div>
            </form>
          ) : (
            <dl className="details">
              <dt>{t('customer.firstName')}</dt>
              <dd>{customer.firstName}</dd>
              <dt>{t('customer.lastName')}</dt>
              <dd>{customer.lastName}</dd>
              <dt>{t('customer.email')}</dt>
              <dd className="break">{customer.email}</dd>
              <dt>{t('customer.language')}</dt>
              <dd lang={customer.locale}>{languageLabel(customer.locale)}</dd>
            </dl>
          )}
        </section>
      )}
      {customer && (
        <section className="card" aria-labelledby="view-heading">
          <h2 id="view-heading">{t('customer.view')}</h2>
          <dl className="details">
            <dt>{t('customers.since')}</dt>
            <dd>{formatDate(customer.createdAt)}</dd>
            <dt>{t('customer.website')}</dt>
            <dd>{named(stores?.websites, customer.websiteCode)}</dd>
            <dt>{t('customer.storeView')}</dt>
            <dd>{named(stores?.views, customer.storeViewCode)}</dd>
            <dt>{t('customers.activeTokens')}</dt>
            <dd>
              {formatNumber(customer.activeTokenCount)}
              <span className="hint hint-block">{t('customers.activeTokensHelp')}</span>
            </dd>
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
                  <th scope="col">{t('emails.storeView')}</th>
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
                    <td colSpan={7}>{t('emails.none')}</td>
                  </tr>
                )}
                {emails.map((email) => (
                  <tr key={email.id}>
                    <td>{formatDate(email.requestedAt)}</td>
                    <td>{templateLabel(t, email.template)}</td>
                    <td>{named(stores?.views, email.storeViewCode ?? undefined)}</td>
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
