import { FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { AdminApi, ApiFailure, StoreView, StoreViewEdit, Website } from '../api';
import { Message, Messages } from '../components/Messages';
import { languageLabel, LOCALES, useI18n } from '../i18n';
import { check, Draft, EMPTY_VIEW, Errors, Field, NAME_MAX, serverErrors } from './store-rules';

/** What the editor shows: one store view, a new store view, or a new website. */
type Editing = { kind: 'view'; code: string } | { kind: 'newView' } | { kind: 'newWebsite' };

const VIEW_FIELDS: readonly Field[] = ['name', 'locale', 'timezone', 'baseUrl', 'mailFrom', 'supportEmail', 'isActive'];
const NEW_VIEW_FIELDS: readonly Field[] = ['code', 'websiteCode', ...VIEW_FIELDS];
const WEBSITE_FIELDS: readonly Field[] = ['code', 'name'];

/** Stores > All Stores: the websites, each with its store views; edit a store view, create either. */
export function Stores({ api }: { api: AdminApi }) {
  const { t } = useI18n();
  const [websites, setWebsites] = useState<Website[] | null>(null);
  const [views, setViews] = useState<StoreView[]>([]);
  const [message, setMessage] = useState<Message | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  /** The button that opened the editor: the focus goes back to it when the editor closes. */
  const opener = useRef<HTMLElement | null>(null);

  const load = useCallback(
    () =>
      Promise.all([api.websites(), api.storeViews()]).then(
        ([w, v]) => {
          setWebsites(w);
          setViews(v);
        },
        (error: unknown) =>
          setMessage({
            kind: 'error',
            text: error instanceof ApiFailure && error.status === 403 ? t('common.forbidden') : t('common.unavailable'),
          }),
      ),
    [api, t],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const open = (next: Editing, button: HTMLElement) => {
    opener.current = button;
    setMessage(null);
    setEditing(next);
  };

  const close = (saved?: string) => {
    setEditing(null);
    if (saved) setMessage({ kind: 'success', text: saved });
    // After the editor is gone, back to the button that opened it.
    window.setTimeout(() => opener.current?.focus(), 0);
  };

  // Websites named by the store views too, should a list be ahead of the other.
  const groups = [
    ...(websites ?? []),
    ...[...new Set(views.map((v) => v.websiteCode))]
      .filter((code) => !websites?.some((w) => w.code === code))
      .map((code) => ({ code, name: code })),
  ];
  const edited = editing?.kind === 'view' ? views.find((v) => v.code === editing.code) : undefined;

  return (
    <>
      <div className="page-actions" role="group" aria-label={t('stores.pageActions')}>
        <button type="button" className="button button-secondary" onClick={(e) => open({ kind: 'newWebsite' }, e.currentTarget)}>
          {t('stores.createWebsite')}
        </button>
        <button
          type="button"
          className="button button-primary"
          aria-disabled={!websites?.length}
          onClick={(e) => websites?.length && open({ kind: 'newView' }, e.currentTarget)}
        >
          {t('stores.createStoreView')}
        </button>
      </div>
      <Messages message={message} />
      {editing && (editing.kind !== 'view' || edited) && (
        <StoreEditor
          key={editing.kind === 'view' ? `view:${editing.code}` : editing.kind}
          api={api}
          editing={editing}
          view={edited}
          websites={websites ?? []}
          onDone={(saved) => {
            void load();
            close(saved);
          }}
          onCancel={() => close()}
        />
      )}
      {websites && groups.length === 0 && <p>{t('stores.none')}</p>}
      {groups.map((website) => (
        <WebsiteSection
          key={website.code}
          website={website}
          views={views.filter((v) => v.websiteCode === website.code)}
          editingCode={editing?.kind === 'view' ? editing.code : null}
          onEdit={(code, button) => open({ kind: 'view', code }, button)}
        />
      ))}
    </>
  );
}

function WebsiteSection(props: {
  website: Website;
  views: StoreView[];
  editingCode: string | null;
  onEdit(code: string, button: HTMLElement): void;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const { website, views } = props;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <span className="muted">{t('stores.websitePrefix')}</span> {website.name}
      </h2>
      <p className="hint">{t('stores.websiteCodeIs', { code: website.code })}</p>
      {views.length === 0 ? (
        <p>{t('stores.noStoreViews')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-label={t('stores.tableLabel', { name: website.name })} tabIndex={0}>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('stores.storeView')}</th>
                <th scope="col">{t('stores.fields.code')}</th>
                <th scope="col">{t('stores.fields.locale')}</th>
                <th scope="col">{t('stores.fields.baseUrl')}</th>
                <th scope="col">{t('stores.fields.mailFrom')}</th>
                <th scope="col">{t('stores.status')}</th>
                <th scope="col">{t('stores.action')}</th>
              </tr>
            </thead>
            <tbody>
              {views.map((view) => (
                <tr key={view.code}>
                  <td>{view.name}</td>
                  <td>
                    <code>{view.code}</code>
                  </td>
                  <td lang={view.locale}>{languageLabel(view.locale)}</td>
                  <td className="break">{view.baseUrl}</td>
                  <td className="break">{view.mailFrom}</td>
                  <td>{t(view.isActive ? 'stores.enabled' : 'stores.disabled')}</td>
                  <td className="cell-action">
                    <button
                      type="button"
                      className="button button-secondary"
                      aria-expanded={props.editingCode === view.code}
                      onClick={(e) => props.onEdit(view.code, e.currentTarget)}
                    >
                      {t('stores.edit')}
                      <span className="visually-hidden"> {view.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The form of one store view (edit or new) or a new website, with each field's error beside it. */
function StoreEditor(props: {
  api: AdminApi;
  editing: Editing;
  view?: StoreView;
  websites: Website[];
  onDone(saved: string): void;
  onCancel(): void;
}) {
  const { api, editing, view, websites } = props;
  const { t } = useI18n();
  const fields = editing.kind === 'view' ? VIEW_FIELDS : editing.kind === 'newView' ? NEW_VIEW_FIELDS : WEBSITE_FIELDS;
  const [draft, setDraft] = useState<Draft>(() =>
    view
      ? {
          code: view.code,
          websiteCode: view.websiteCode,
          name: view.name,
          locale: view.locale,
          timezone: view.timezone,
          baseUrl: view.baseUrl,
          mailFrom: view.mailFrom,
          supportEmail: view.supportEmail,
          isActive: view.isActive,
        }
      : editing.kind === 'newView'
        ? { ...EMPTY_VIEW, websiteCode: websites[0]?.code ?? '' }
        : { ...EMPTY_VIEW, isActive: true },
  );
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const idPrefix = useId();
  const id = (field: Field) => `${idPrefix}-${field}`;

  // The editor's heading takes the focus when it opens, so a screen reader says what is edited.
  useEffect(() => heading.current?.focus(), []);

  const title =
    editing.kind === 'view'
      ? t('stores.editStoreView', { name: view?.name ?? '' })
      : t(editing.kind === 'newView' ? 'stores.newStoreView' : 'stores.newWebsite');

  const focusFirst = (found: Errors) => {
    const first = fields.find((field) => found[field]);
    if (first) form.current?.querySelector<HTMLElement>(`#${CSS.escape(id(first))}`)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = check(t, draft, fields, Object.keys(LOCALES));
    setErrors(found);
    if (Object.keys(found).length) {
      setFailure({ kind: 'error', text: t('common.fixErrors') });
      focusFirst(found);
      return;
    }
    setBusy(true);
    setFailure(null);
    const value = (field: Exclude<Field, 'isActive'>) => draft[field].trim();
    try {
      if (editing.kind === 'newWebsite') {
        await api.createWebsite({ code: value('code'), name: value('name') });
        props.onDone(t('stores.savedWebsite'));
      } else if (editing.kind === 'newView') {
        await api.createStoreView({
          code: value('code'),
          websiteCode: value('websiteCode'),
          name: value('name'),
          locale: value('locale'),
          timezone: value('timezone'),
          baseUrl: value('baseUrl'),
          mailFrom: value('mailFrom'),
          supportEmail: value('supportEmail'),
          isActive: draft.isActive,
        });
        props.onDone(t('stores.savedStoreView'));
      } else if (view) {
        // Only what changed is sent: a changed baseUrl is audited on its own.
        const edit: StoreViewEdit = {};
        for (const field of VIEW_FIELDS) {
          if (field === 'isActive') {
            if (draft.isActive !== view.isActive) edit.isActive = draft.isActive;
          } else if (value(field) !== view[field]) (edit as Record<string, string>)[field] = value(field);
        }
        if (Object.keys(edit).length) await api.updateStoreView(view.code, edit);
        props.onDone(t('stores.savedStoreView'));
      }
    } catch (error) {
      const server = serverErrors(error, fields);
      // A taken code is the code field's problem.
      if (error instanceof ApiFailure && error.status === 409 && fields.includes('code') && !server.fields.code) {
        server.fields.code = error.message;
        server.rest.length = 0;
      }
      setErrors(server.fields);
      const text =
        server.rest.join(' ') ||
        (Object.keys(server.fields).length
          ? t('common.fixErrors')
          : error instanceof ApiFailure && error.status === 403
            ? t('common.forbidden')
            : t('common.unavailable'));
      setFailure({ kind: 'error', text });
      focusFirst(server.fields);
    } finally {
      setBusy(false);
    }
  };

  const set = (field: Field, value: string | boolean) => setDraft((d) => ({ ...d, [field]: value }));
  const describedBy = (field: Field, hint: boolean) =>
    [hint && `${id(field)}-hint`, errors[field] && `${id(field)}-error`].filter(Boolean).join(' ') || undefined;
  const hintKey = (field: Field) =>
    ['code', 'locale', 'timezone', 'baseUrl', 'mailFrom'].includes(field) ? `stores.hints.${field}` : null;
  /** A field the store view does not set itself, still as it came: it shows the installation's value. */
  const inherited = (field: Field) => Boolean(view?.inherits?.includes(field) && draft[field] === view[field]);

  const renderField = (field: Field) => {
    const key = hintKey(field);
    const hint = [key && t(key), inherited(field) && t('stores.inherited')].filter(Boolean).join(' ');
    const common = {
      id: id(field),
      name: field,
      'aria-invalid': errors[field] ? true : undefined,
      'aria-describedby': describedBy(field, Boolean(hint)),
    };
    const after = (
      <>
        {hint && (
          <p id={`${id(field)}-hint`} className="hint">
            {hint}
          </p>
        )}
        {errors[field] && (
          <p id={`${id(field)}-error`} className="field-error">
            {errors[field]}
          </p>
        )}
      </>
    );
    if (field === 'isActive') {
      return (
        <div key={field} className="field field-check">
          <input {...common} type="checkbox" checked={draft.isActive} onChange={(e) => set(field, e.target.checked)} />
          <label htmlFor={id(field)}>{t('stores.enabled')}</label>
          {after}
        </div>
      );
    }
    const label = t(field === 'name' && editing.kind === 'newWebsite' ? 'stores.fields.websiteName' : `stores.fields.${field}`);
    const value = draft[field];
    let control;
    if (field === 'locale') {
      const options = [...new Set([...Object.keys(LOCALES), value].filter(Boolean))];
      control = (
        <select {...common} value={value} onChange={(e) => set(field, e.target.value)}>
          {options.map((tag) => (
            <option key={tag} value={tag} lang={tag}>
              {languageLabel(tag)}
            </option>
          ))}
        </select>
      );
    } else if (field === 'websiteCode') {
      control = (
        <select {...common} value={value} onChange={(e) => set(field, e.target.value)}>
          {websites.map((w) => (
            <option key={w.code} value={w.code}>
              {w.name} ({w.code})
            </option>
          ))}
        </select>
      );
    } else {
      control = (
        <input
          {...common}
          type={field === 'supportEmail' ? 'email' : field === 'baseUrl' ? 'url' : 'text'}
          autoComplete="off"
          spellCheck={false}
          maxLength={field === 'code' ? 32 : NAME_MAX}
          value={value}
          onChange={(e) => set(field, e.target.value)}
        />
      );
    }
    return (
      <div key={field} className="field">
        <label htmlFor={id(field)}>{label}</label>
        {control}
        {after}
      </div>
    );
  };

  return (
    <section className="card" aria-labelledby={`${idPrefix}-heading`}>
      <h2 id={`${idPrefix}-heading`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {editing.kind === 'view' && view && <p className="hint">{t('stores.websiteCodeIs', { code: view.websiteCode })}</p>}
      <Messages message={failure} />
      <form ref={form} className="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${idPrefix}-heading`}>
        {fields.map(renderField)}
        <div className="actions">
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            {t(editing.kind === 'newWebsite' ? 'stores.saveWebsite' : 'stores.saveStoreView')}
          </button>
          <button type="button" className="button button-secondary" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
