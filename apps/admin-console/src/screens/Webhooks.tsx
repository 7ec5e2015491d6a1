import { FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { AdminApi, ApiFailure, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Message, Messages } from '../components/Messages';
import { Translate, useI18n } from '../i18n';
import { WEBHOOK_EVENT_KEYS } from './label-keys';
import { deliveryStatusLabel, webhookEventLabel } from './labels';

/** The event types an endpoint can ask for; `webhook.test` goes to one endpoint on request, whatever it asked for. */
const SUBSCRIBABLE = Object.keys(WEBHOOK_EVENT_KEYS).filter((type) => type !== 'webhook.test');

/** While a delivery is pending, its list is read again this often (the worker retries on its own). */
const PENDING_POLL_MS = 2000;

/** A confirmation waiting for the admin's answer: what it asks, and what OK does. */
interface Pending {
  text: string;
  run(): Promise<void>;
}

/** The secret of a new or rotated endpoint, shown this once. */
interface Revealed {
  url: string;
  secret: string;
}

function failureText(t: Translate, error: unknown): string {
  if (!(error instanceof ApiFailure)) return t('common.unavailable');
  if (error.status === 403) return t('common.forbidden');
  if (error.status === 404) return t('webhooks.notFound');
  return error.message || t('common.unavailable');
}

/**
 * Webhooks (docs/webhooks.md), for administrators (webhooks.manage): the endpoints, each with its
 * actions (Send Test, Rotate Secret, Disable/Enable, Delete) and its recent deliveries (Retry for
 * those that failed or were refused); Add Webhook. A new or rotated `whsec_` secret is shown once,
 * above the list, with Copy. Disable, Rotate and Delete ask first (ConfirmDialog).
 */
export function Webhooks({ api }: { api: AdminApi }) {
  const { t, formatDate } = useI18n();
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [adding, setAdding] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const load = useCallback(
    () =>
      api.webhooks().then(setEndpoints, (error: unknown) => {
        setEndpoints((current) => current ?? []);
        setMessage({
          kind: 'error',
          text: error instanceof ApiFailure && error.status === 403 ? t('common.forbidden') : t('webhooks.unavailable'),
        });
      }),
    [api, t],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const reveal = (endpoint: WebhookEndpointWithSecret, text: string) => {
    setRevealed({ url: endpoint.url, secret: endpoint.secret });
    setMessage({ kind: 'success', text });
    void load();
  };

  const answer = (confirmed: boolean) => {
    const run = pending?.run;
    setPending(null);
    if (confirmed && run) void run();
  };

  return (
    <>
      <p className="hint">{t('webhooks.intro')}</p>
      <div className="page-actions" role="group" aria-label={t('webhooks.pageActions')}>
        <button
          ref={addButton}
          type="button"
          className="button button-primary"
          aria-expanded={adding}
          onClick={() => {
            setMessage(null);
            setAdding(true);
          }}
        >
          {t('webhooks.add')}
        </button>
      </div>
      <ConfirmDialog open={pending !== null} text={pending?.text ?? ''} onAnswer={answer} />
      <Messages message={message} />
      {revealed && (
        <SecretOnce
          key={revealed.secret}
          revealed={revealed}
          onDone={() => {
            setRevealed(null);
            window.setTimeout(() => addButton.current?.focus(), 0);
          }}
        />
      )}
      {adding && (
        <NewWebhook
          api={api}
          onDone={(created) => {
            setAdding(false);
            reveal(created, t('webhooks.saved'));
          }}
          onCancel={() => {
            setAdding(false);
            window.setTimeout(() => addButton.current?.focus(), 0);
          }}
        />
      )}
      {endpoints && endpoints.length === 0 && !message && <p>{t('webhooks.none')}</p>}
      {endpoints?.map((endpoint) => (
        <EndpointCard
          key={endpoint.id}
          api={api}
          endpoint={endpoint}
          confirm={setPending}
          onChanged={() => void load()}
          onRotated={(rotated) => reveal(rotated, t('webhooks.rotated', { until: formatDate(rotated.previousSecretExpiresAt) }))}
          onDeleted={() => {
            setMessage({ kind: 'success', text: t('webhooks.deleted') });
            void load();
            window.setTimeout(() => addButton.current?.focus(), 0);
          }}
        />
      ))}
    </>
  );
}

/** The `whsec_` secret, once: its heading takes the focus so that a screen reader reads it out. */
function SecretOnce({ revealed, onDone }: { revealed: Revealed; onDone(): void }) {
  const { t } = useI18n();
  const ids = { heading: useId(), secret: useId(), hint: useId() };
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<Message | null>(null);
  useEffect(() => heading.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(revealed.secret);
      setCopied({ kind: 'success', text: t('webhooks.copied') });
    } catch {
      setCopied({ kind: 'error', text: t('webhooks.copyFailed') });
    }
  };

  return (
    <section className="card card-secret" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} ref={heading} tabIndex={-1}>
        {t('webhooks.secretTitle')}
      </h2>
      <p className="break">{t('webhooks.secretFor', { url: revealed.url })}</p>
      <p id={ids.hint}>{t('webhooks.secretOnce')}</p>
      <p>
        <code id={ids.secret} className="totp-secret" aria-describedby={ids.hint}>
          {revealed.secret}
        </code>
      </p>
      <Messages message={copied} />
      <div className="actions">
        <button type="button" className="button button-primary" aria-describedby={ids.hint} onClick={() => void copy()}>
          {t('webhooks.copy')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('webhooks.secretDone')}
        </button>
      </div>
    </section>
  );
}

type Field = 'url' | 'events';
type Errors = Partial<Record<Field, string>>;

/** http(s), a host, no user name or password: the server's rules (https only in production is the server's to say). */
function isEndpointUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.hostname && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** Add Webhook: URL, description and the event types, each rule beside its field. */
function NewWebhook(props: { api: AdminApi; onDone(created: WebhookEndpointWithSecret): void; onCancel(): void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const ids = { heading: `${id}-heading`, url: `${id}-url`, description: `${id}-description`, events: `${id}-events` };
  useEffect(() => heading.current?.focus(), []);

  const focusFirst = (found: Errors) => {
    if (found.url) form.current?.querySelector<HTMLElement>(`#${CSS.escape(ids.url)}`)?.focus();
    else if (found.events) form.current?.querySelector<HTMLElement>(`#${CSS.escape(ids.events)} input`)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found: Errors = {};
    if (!url.trim()) found.url = t('common.required');
    else if (!isEndpointUrl(url.trim())) found.url = t('webhooks.errors.url');
    if (events.length === 0) found.events = t('webhooks.errors.events');
    setErrors(found);
    if (Object.keys(found).length) {
      setFailure({ kind: 'error', text: t('common.fixErrors') });
      focusFirst(found);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const input = { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) };
      props.onDone(await props.api.createWebhook(input));
    } catch (error) {
      // A 400 VALIDATION names the field it refuses first ("url must …", "events must …").
      const text = failureText(t, error);
      const field: Field | undefined =
        error instanceof ApiFailure && error.status === 400
          ? /^events\b/.test(text)
            ? 'events'
            : /\burl\b|https?:/i.test(text)
              ? 'url'
              : undefined
          : undefined;
      const server: Errors = field ? { [field]: text } : {};
      setErrors(server);
      setFailure({ kind: 'error', text: field ? t('common.fixErrors') : text });
      focusFirst(server);
    } finally {
      setBusy(false);
    }
  };

  const describedBy = (field: Field, hint: boolean) =>
    [hint && `${ids[field]}-hint`, errors[field] && `${ids[field]}-error`].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: Field) =>
    errors[field] && (
      <p id={`${ids[field]}-error`} className="field-error">
        {errors[field]}
      </p>
    );
  const toggle = (type: string, checked: boolean) =>
    setEvents((current) => (checked ? SUBSCRIBABLE.filter((e) => e === type || current.includes(e)) : current.filter((e) => e !== type)));

  return (
    <section className="card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} ref={heading} tabIndex={-1}>
        {t('webhooks.newTitle')}
      </h2>
      <Messages message={failure} />
      <form ref={form} className="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={ids.heading}>
        <div className="field">
          <label htmlFor={ids.url}>{t('webhooks.fields.url')}</label>
          <input
            id={ids.url}
            name="url"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            maxLength={2048}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            aria-invalid={errors.url ? true : undefined}
            aria-describedby={describedBy('url', true)}
          />
          <p id={`${ids.url}-hint`} className="hint">
            {t('webhooks.hints.url')}
          </p>
          {fieldError('url')}
        </div>
        <div className="field">
          <label htmlFor={ids.description}>{t('webhooks.fields.description')}</label>
          <input
            id={ids.description}
            name="description"
            type="text"
            autoComplete="off"
            maxLength={500}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <fieldset id={ids.events} className="group field" aria-describedby={describedBy('events', true)}>
          <legend>{t('webhooks.fields.events')}</legend>
          <p id={`${ids.events}-hint`} className="hint">
            {t('webhooks.hints.events')}
          </p>
          {SUBSCRIBABLE.map((type) => (
            <div key={type} className="field-check">
              <input
                id={`${ids.events}-${type}`}
                type="checkbox"
                name="events"
                value={type}
                checked={events.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
                aria-invalid={errors.events ? true : undefined}
              />
              <label htmlFor={`${ids.events}-${type}`}>
                {webhookEventLabel(t, type)} <code className="muted">{type}</code>
              </label>
            </div>
          ))}
          {fieldError('events')}
        </fieldset>
        <div className="actions">
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            {t('webhooks.save')}
          </button>
          <button type="button" className="button button-secondary" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** One endpoint: what it is, its actions, and (on request) its recent deliveries. */
function EndpointCard(props: {
  api: AdminApi;
  endpoint: WebhookEndpoint;
  confirm(pending: Pending): void;
  onChanged(): void;
  onRotated(rotated: WebhookEndpointWithSecret): void;
  onDeleted(): void;
}) {
  const { api, endpoint } = props;
  const { t, formatDate } = useI18n();
  const ids = { heading: useId(), deliveries: useId() };
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  /** Bumped to read the deliveries again (after a test or a retry). */
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);

  /** One action at a time; its outcome is announced in this card. */
  const act = async (action: () => Promise<unknown>, successText: string | null) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      await action();
      if (successText) setMessage({ kind: 'success', text: successText });
    } catch (error) {
      setMessage({ kind: 'error', text: failureText(t, error) });
    } finally {
      setBusy(false);
    }
  };

  const sendTest = () =>
    act(async () => {
      await api.testWebhook(endpoint.id);
      setShowDeliveries(true);
      setDeliveriesVersion((v) => v + 1);
    }, t('webhooks.testSent'));

  const rotate = () =>
    props.confirm({
      text: t('webhooks.confirmRotate', { url: endpoint.url }),
      run: () => act(async () => props.onRotated(await api.rotateWebhookSecret(endpoint.id)), null),
    });

  const toggle = () => {
    const enable = !endpoint.enabled;
    const run = () =>
      act(
        async () => {
          await api.updateWebhook(endpoint.id, { enabled: enable });
          props.onChanged();
        },
        t(enable ? 'webhooks.enabledMessage' : 'webhooks.disabledMessage'),
      );
    if (enable) void run();
    else props.confirm({ text: t('webhooks.confirmDisable', { url: endpoint.url }), run });
  };

  const remove = () =>
    props.confirm({
      text: t('webhooks.confirmDelete', { url: endpoint.url }),
      run: () =>
        act(async () => {
          await api.deleteWebhook(endpoint.id);
          props.onDeleted();
        }, null),
    });

  const status = endpoint.enabled
    ? t('webhooks.enabled')
    : endpoint.disabledReason
      ? t('webhooks.disabledBecause', { reason: endpoint.disabledReason })
      : t('webhooks.disabled');

  return (
    <section className="card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} className="break">
        {endpoint.url}
      </h2>
      <dl className="details">
        <dt>{t('webhooks.status')}</dt>
        <dd>{status}</dd>
        <dt>{t('webhooks.events')}</dt>
        <dd>
          <ul className="plain-list">
            {endpoint.events.map((type) => (
              <li key={type}>
                {webhookEventLabel(t, type)} <code className="muted">{type}</code>
              </li>
            ))}
          </ul>
        </dd>
        {endpoint.description && (
          <>
            <dt>{t('webhooks.description')}</dt>
            <dd className="break">{endpoint.description}</dd>
          </>
        )}
        <dt>{t('webhooks.createdAt')}</dt>
        <dd>{formatDate(endpoint.createdAt)}</dd>
        {endpoint.previousSecretExpiresAt && (
          <>
            <dt>{t('webhooks.previousSecretUntil')}</dt>
            <dd>{formatDate(endpoint.previousSecretExpiresAt)}</dd>
          </>
        )}
      </dl>
      <div className="actions" role="group" aria-label={t('webhooks.endpointActions', { url: endpoint.url })}>
        <button type="button" className="button button-secondary" aria-disabled={busy} onClick={() => void sendTest()}>
          {t('webhooks.sendTest')}
        </button>
        <button type="button" className="button button-secondary" aria-disabled={busy} onClick={() => !busy && rotate()}>
          {t('webhooks.rotate')}
        </button>
        <button type="button" className="button button-secondary" aria-disabled={busy} onClick={() => !busy && toggle()}>
          {t(endpoint.enabled ? 'webhooks.disable' : 'webhooks.enable')}
        </button>
        <button type="button" className="button button-secondary" aria-disabled={busy} onClick={() => !busy && remove()}>
          {t('webhooks.delete')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          aria-expanded={showDeliveries}
          aria-controls={showDeliveries ? ids.deliveries : undefined}
          onClick={() => setShowDeliveries((shown) => !shown)}
        >
          {t('webhooks.showDeliveries')}
        </button>
      </div>
      <Messages message={message} />
      {showDeliveries && (
        <Deliveries
          id={ids.deliveries}
          api={api}
          endpoint={endpoint}
          version={deliveriesVersion}
          onRetried={(text) => {
            setMessage(text);
            setDeliveriesVersion((v) => v + 1);
          }}
        />
      )}
    </section>
  );
}

/** The endpoint's 50 newest deliveries, read again every few seconds while one is pending. */
function Deliveries(props: { id: string; api: AdminApi; endpoint: WebhookEndpoint; version: number; onRetried(message: Message): void }) {
  const { api, endpoint } = props;
  const { t, formatDate, formatNumber } = useI18n();
  const [items, setItems] = useState<WebhookDelivery[] | 'unavailable' | null>(null);
  const [reads, setReads] = useState(0);
  const headingId = useId();

  useEffect(() => {
    let current = true;
    api.webhookDeliveries(endpoint.id).then(
      (list) => current && setItems(list),
      () => current && setItems('unavailable'),
    );
    return () => {
      current = false;
    };
  }, [api, endpoint.id, props.version, reads]);

  const waiting = Array.isArray(items) && items.some((d) => d.status === 'pending');
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => setReads((n) => n + 1), PENDING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, items]);

  const retry = (delivery: WebhookDelivery) =>
    api.retryWebhookDelivery(delivery.id).then(
      () => props.onRetried({ kind: 'success', text: t('webhooks.retried') }),
      (error: unknown) => props.onRetried({ kind: 'error', text: failureText(t, error) }),
    );

  return (
    <div id={props.id} className="deliveries">
      <div className="deliveries-head">
        <h3 id={headingId}>{t('webhooks.deliveriesTitle')}</h3>
        <button type="button" className="button button-secondary" onClick={() => setReads((n) => n + 1)}>
          {t('webhooks.refresh')}
        </button>
      </div>
      {items === 'unavailable' && <p>{t('webhooks.deliveriesUnavailable')}</p>}
      {Array.isArray(items) && (
        <div className="table-wrap" role="region" aria-label={t('webhooks.deliveriesLabel', { url: endpoint.url })} tabIndex={0}>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.columns.createdAt')}</th>
                <th scope="col">{t('webhooks.columns.type')}</th>
                <th scope="col">{t('webhooks.columns.status')}</th>
                <th scope="col" className="numeric">
                  {t('webhooks.columns.attempts')}
                </th>
                <th scope="col" className="numeric">
                  {t('webhooks.columns.responseCode')}
                </th>
                <th scope="col">{t('webhooks.columns.reason')}</th>
                <th scope="col">{t('webhooks.columns.nextAttempt')}</th>
                <th scope="col">{t('webhooks.columns.action')}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={8}>{t('webhooks.noDeliveries')}</td>
                </tr>
              )}
              {items.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{formatDate(delivery.createdAt)}</td>
                  <td>
                    {webhookEventLabel(t, delivery.type)}
                    <br />
                    <code className="muted">{delivery.type}</code>
                  </td>
                  <td>{deliveryStatusLabel(t, delivery.status)}</td>
                  <td className="numeric">{formatNumber(delivery.attempts)}</td>
                  <td className="numeric">{delivery.lastResponseCode ?? '—'}</td>
                  <td className="break">{delivery.lastError ?? '—'}</td>
                  <td>{delivery.status === 'pending' ? formatDate(delivery.nextAttemptAt) : '—'}</td>
                  <td className="cell-action">
                    {(delivery.status === 'failed' || delivery.status === 'refused') && (
                      <button type="button" className="button button-secondary" onClick={() => void retry(delivery)}>
                        {t('webhooks.retry')}
                        <span className="visually-hidden">
                          {' '}
                          {webhookEventLabel(t, delivery.type)}, {formatDate(delivery.createdAt)}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
