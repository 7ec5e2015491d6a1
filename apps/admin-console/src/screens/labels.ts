import { SETTING_FIELDS, SettingName } from '../../../../libs/settings/src/setting-fields';
import { languageLabel, Translate } from '../i18n';
import { AUDIT_ACTION_KEYS, EMAIL_TEMPLATE_KEYS, WEBHOOK_EVENT_KEYS } from './label-keys';

/** Words for the API's values. An unknown value (a newer server) is shown as it is. */
const known = (t: Translate, key: string, value: string): string => {
  const text = t(key);
  return text === key ? value : text;
};

/** The actions the audit log can be filtered by, in the order the filter lists them. */
export const AUDIT_ACTION_CODES = Object.keys(AUDIT_ACTION_KEYS);

export const auditActionLabel = (t: Translate, action: string) => known(t, `audit.actions.${AUDIT_ACTION_KEYS[action] ?? '-'}`, action);

export const templateLabel = (t: Translate, template: string) =>
  known(t, `emails.templates.${EMAIL_TEMPLATE_KEYS[template] ?? '-'}`, template);
export const emailStatusLabel = (t: Translate, status: string) => known(t, `emails.statuses.${status}`, status);
export const linkStateLabel = (t: Translate, state: string | null | undefined) => (state ? known(t, `emails.links.${state}`, state) : '—');

export const webhookEventLabel = (t: Translate, type: string) => known(t, `webhooks.eventTypes.${WEBHOOK_EVENT_KEYS[type] ?? '-'}`, type);
export const deliveryStatusLabel = (t: Translate, status: string) => known(t, `webhooks.statuses.${status}`, status);

/** A setting's value in words: its option's label, Yes/No, a grouped number, or the text. */
export function settingValue(t: Translate, formatNumber: (n: number) => string, name: string, value: unknown): string {
  const field = SETTING_FIELDS[name as SettingName] as (typeof SETTING_FIELDS)[SettingName] | undefined;
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'number') return formatNumber(value);
  if (value === null || value === undefined || value === '') return t('common.empty');
  if (field?.kind === 'choice') return known(t, `options.choices.${name}.${String(value)}`, String(value));
  return String(value);
}

const CUSTOMER_FIELDS: Record<string, string> = {
  firstName: 'customer.firstName',
  lastName: 'customer.lastName',
  email: 'customer.email',
  locale: 'customer.language',
};

interface Change {
  setting?: string;
  field?: string;
  from?: unknown;
  to?: unknown;
}

/**
 * An audit event's details as lines in the admin's language: each change as "label: before →
 * after" with the settings' own labels, counts and outcomes in words. Details the console does
 * not know are shown as name: value.
 */
export function detailLines(t: Translate, formatNumber: (n: number) => string, action: string, details: Record<string, unknown>): string[] {
  const changes = Array.isArray(details.changes) ? (details.changes as Change[]) : null;
  if (changes && action === 'config.customer_password_changed') {
    return changes.map((c) =>
      t('audit.detail.change', {
        label: known(t, `options.fields.${c.setting}`, String(c.setting)),
        from: settingValue(t, formatNumber, String(c.setting), c.from),
        to: settingValue(t, formatNumber, String(c.setting), c.to),
      }),
    );
  }
  if (changes && action === 'customer.updated') {
    const value = (field: string, v: unknown) =>
      v === '' || v == null ? t('common.empty') : field === 'locale' ? languageLabel(String(v)) : String(v);
    return changes.map((c) =>
      t('audit.detail.change', {
        label: CUSTOMER_FIELDS[String(c.field)] ? t(CUSTOMER_FIELDS[String(c.field)]) : String(c.field),
        from: value(String(c.field), c.from),
        to: value(String(c.field), c.to),
      }),
    );
  }
  // Websites and store views (Stores > All Stores): which one, and each changed field before → after.
  if (action === 'store.website_created' && typeof details.websiteCode === 'string') {
    return [t('audit.detail.website', { name: String(details.name ?? ''), code: details.websiteCode })];
  }
  if ((action === 'store.store_view_created' || action === 'store.store_view_updated') && typeof details.storeViewCode === 'string') {
    const lines = [t('audit.detail.storeView', { code: details.storeViewCode, website: String(details.websiteCode ?? '') })];
    const value = (field: string, v: unknown) =>
      v === null || v === undefined
        ? t('audit.detail.inherited')
        : typeof v === 'boolean'
          ? t(v ? 'common.yes' : 'common.no')
          : v === ''
            ? t('common.empty')
            : field === 'locale'
              ? languageLabel(String(v))
              : String(v);
    const label = (field: string) => (field === 'isActive' ? t('stores.enabled') : known(t, `stores.fields.${field}`, field));
    for (const c of changes ?? [])
      lines.push(
        t('audit.detail.change', { label: label(String(c.field)), from: value(String(c.field), c.from), to: value(String(c.field), c.to) }),
      );
    return lines;
  }
  if (action === 'customer.force_sign_in' && typeof details.revoked === 'number') {
    return [t('audit.detail.revoked', { count: formatNumber(details.revoked) })];
  }
  if (action === 'customer.unlocked' && typeof details.wasLocked === 'boolean') {
    return [t(details.wasLocked ? 'audit.detail.wasLocked' : 'audit.detail.wasNotLocked')];
  }
  // The CLI's admin commands name the admin account they acted on.
  if ((action === 'admin.password_set' || action === 'admin.unlocked') && typeof details.targetAdminEmail === 'string') {
    const lines = [t('audit.detail.targetAdmin', { email: details.targetAdminEmail })];
    if (typeof details.wasLocked === 'boolean') lines.push(t(details.wasLocked ? 'audit.detail.wasLocked' : 'audit.detail.wasNotLocked'));
    return lines;
  }
  if (action === 'access.denied' && typeof details.route === 'string') {
    return [t('audit.detail.denied', { method: String(details.method), route: details.route, permission: String(details.permission) })];
  }
  if (action === 'email.test_sent' && typeof details.template === 'string') {
    return [t('audit.detail.testEmail', { template: templateLabel(t, details.template), language: languageLabel(String(details.locale)) })];
  }
  return Object.entries(details).map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}
