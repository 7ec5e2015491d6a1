import { FormEvent, useEffect, useRef, useState } from 'react';
import { isTimeZone, SETTING_FIELDS, SETTING_GROUPS, SettingField, SettingName } from '../../../../libs/settings/src/setting-fields';
import { AdminApi, ApiFailure, Settings } from '../api';
import { Message, Messages } from '../components/Messages';
import { LANGUAGE_NAMES, LOCALES, Translate, useI18n } from '../i18n';

const NAMES = Object.keys(SETTING_FIELDS) as SettingName[];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Draft = Record<SettingName, string | boolean>;

/** Numbers are shown grouped ("1,000,000"), as the admin's language writes them. */
const toDraft = (settings: Settings, formatNumber: (n: number) => string): Draft =>
  Object.fromEntries(
    NAMES.map((name) => {
      const value = settings[name];
      return [name, typeof value === 'boolean' ? value : typeof value === 'number' ? formatNumber(value) : String(value ?? '')];
    }),
  ) as Draft;

/** Digit grouping the admin may type or that toDraft added: commas, dots-free spaces, apostrophes. */
const GROUPING = /[,\s\u00a0\u202f'’，]/g;

/** Checks one value against the range the server enforces (SETTING_FIELDS), before anything is sent. */
function check(
  t: Translate,
  format: (n: number) => string,
  field: SettingField,
  value: string | boolean,
): { value?: number | string | boolean; error?: string } {
  switch (field.kind) {
    case 'boolean':
      return { value: value === true };
    case 'choice':
    case 'locale':
      return options(field).includes(String(value)) ? { value: String(value) } : { error: t('options.errors.choice') };
    case 'integer': {
      const text = String(value).replace(GROUPING, '');
      const n = Number(text);
      return /^-?\d+$/.test(text) && n >= field.min && n <= field.max
        ? { value: n }
        : { error: t('options.errors.range', { min: format(field.min), max: format(field.max) }) };
    }
    case 'email': {
      const text = String(value).trim();
      return EMAIL.test(text) && text.length <= field.maxLength ? { value: text } : { error: t('options.errors.email') };
    }
    case 'text': {
      const text = String(value).trim();
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
      return text && text.length <= field.maxLength && !/[\u0000-\u001f\u007f]/.test(text)
        ? { value: text }
        : { error: t('options.errors.text', { max: field.maxLength }) };
    }
    case 'timeZone': {
      const text = String(value).trim();
      return isTimeZone(text) ? { value: text } : { error: t('options.errors.timeZone') };
    }
  }
}

/** What a choice may be: its options, or every language the console has a catalogue for. */
function options(field: Extract<SettingField, { kind: 'choice' | 'locale' }>): readonly string[] {
  return field.kind === 'locale' ? Object.keys(LOCALES) : field.options;
}

/** An option's words (a language's own name, or options.choices.<setting>.<option>), or the option itself. */
function choiceLabel(t: Translate, name: SettingName, option: string): string {
  if (SETTING_FIELDS[name].kind === 'locale') return LANGUAGE_NAMES[option] ?? option;
  const key = `options.choices.${name}.${option}`;
  const label = t(key);
  return label === key ? option : label;
}

function rangeHint(t: Translate, format: (n: number) => string, name: SettingName, field: SettingField): string {
  const note = t(`options.notes.${name}`);
  const range = field.kind === 'integer' ? t('options.range', { min: format(field.min), max: format(field.max) }) : '';
  return [range, note === `options.notes.${name}` ? '' : note].filter(Boolean).join(' ');
}

export function PasswordOptions({ api }: { api: AdminApi }) {
  const { t, formatNumber } = useI18n();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<SettingName, string>>>({});
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    api.settings().then(
      (settings) => setDraft(toDraft(settings, formatNumber)),
      () => setMessage({ kind: 'error', text: t('common.unavailable') }),
    );
  }, [api, t, formatNumber]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || busy) return;
    const patch: Settings = {};
    const found: Partial<Record<SettingName, string>> = {};
    for (const name of NAMES) {
      const result = check(t, formatNumber, SETTING_FIELDS[name], draft[name]);
      if (result.error) found[name] = result.error;
      else patch[name] = result.value!;
    }
    setErrors(found);
    const firstInvalid = NAMES.find((name) => found[name]);
    if (firstInvalid) {
      setMessage({ kind: 'error', text: t('options.errors.summary') });
      form.current?.querySelector<HTMLElement>(`[name="${firstInvalid}"]`)?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      setDraft(toDraft(await api.saveSettings(patch), formatNumber));
      setMessage({ kind: 'success', text: t('options.saved') });
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof ApiFailure && error.message ? error.message : t('common.unavailable') });
    } finally {
      setBusy(false);
    }
  };

  const set = (name: SettingName, value: string | boolean) => setDraft((d) => (d ? { ...d, [name]: value } : d));

  const saveButton = (
    <button type="submit" className="button button-primary" aria-disabled={busy}>
      {t('options.save')}
    </button>
  );

  const renderField = (name: SettingName) => {
    const field = SETTING_FIELDS[name];
    const id = `setting-${name}`;
    const hint = rangeHint(t, formatNumber, name, field);
    const describedBy = [hint && `${id}-hint`, errors[name] && `${id}-error`].filter(Boolean).join(' ') || undefined;
    const common = { id, name, 'aria-describedby': describedBy, 'aria-invalid': errors[name] ? true : undefined };
    return (
      <div key={name} className={`field${field.kind === 'boolean' ? ' field-check' : ''}`}>
        {field.kind === 'boolean' ? (
          <>
            <input {...common} type="checkbox" checked={draft![name] === true} onChange={(e) => set(name, e.target.checked)} />
            <label htmlFor={id}>{t(`options.fields.${name}`)}</label>
          </>
        ) : (
          <>
            <label htmlFor={id}>{t(`options.fields.${name}`)}</label>
            {field.kind === 'choice' || field.kind === 'locale' ? (
              <select {...common} value={String(draft![name])} onChange={(e) => set(name, e.target.value)}>
                {options(field).map((option) => (
                  <option key={option} value={option}>
                    {choiceLabel(t, name, option)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                // Text, not number: a number field cannot show "1,000,000".
                type={field.kind === 'email' ? 'email' : 'text'}
                inputMode={field.kind === 'integer' ? 'numeric' : undefined}
                maxLength={field.kind === 'integer' ? undefined : field.maxLength}
                value={String(draft![name])}
                onChange={(e) => set(name, e.target.value)}
              />
            )}
          </>
        )}
        {hint && (
          <p id={`${id}-hint`} className="hint">
            {hint}
          </p>
        )}
        {errors[name] && (
          <p id={`${id}-error`} className="field-error">
            {errors[name]}
          </p>
        )}
      </div>
    );
  };

  return (
    <>
      <Messages message={message} />
      {draft && (
        <form ref={form} className="form" onSubmit={(e) => void save(e)} noValidate aria-label={t('options.title')}>
          {/* Save at the top and at the bottom, so a phone user finds it without scrolling the whole form. */}
          <div className="actions actions-page">{saveButton}</div>
          {SETTING_GROUPS.map((group) => (
            <fieldset key={group} className="card group">
              <legend>{t(`options.groups.${group}`)}</legend>
              {NAMES.filter((name) => SETTING_FIELDS[name].group === group).map(renderField)}
            </fieldset>
          ))}
          <div className="actions form-footer">
            {saveButton}
            <p className="hint">{t('options.saveHint')}</p>
          </div>
        </form>
      )}
    </>
  );
}
