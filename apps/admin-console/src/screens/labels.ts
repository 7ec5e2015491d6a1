import { Translate } from '../i18n';

/** Words for the API's values. An unknown value (a newer server) is shown as it is. */
const known = (t: Translate, key: string, value: string): string => {
  const text = t(key);
  return text === key ? value : text;
};

const AUDIT_ACTIONS: Record<string, string> = {
  'customer.password_reset_sent': 'passwordResetSent',
  'customer.force_sign_in': 'forceSignIn',
  'config.customer_password_changed': 'settingsChanged',
  'access.denied': 'accessDenied',
};

export const auditActionLabel = (t: Translate, action: string) => known(t, `audit.actions.${AUDIT_ACTIONS[action] ?? '-'}`, action);

const TEMPLATES: Record<string, string> = {
  'password-reset': 'passwordReset',
  'admin-password-reset': 'adminPasswordReset',
  'password-changed': 'passwordChanged',
};

export const templateLabel = (t: Translate, template: string) => known(t, `emails.templates.${TEMPLATES[template] ?? '-'}`, template);
export const emailStatusLabel = (t: Translate, status: string) => known(t, `emails.statuses.${status}`, status);
export const linkStateLabel = (t: Translate, state: string | null | undefined) => (state ? known(t, `emails.links.${state}`, state) : '—');

/** Audit details are counts, names and setting values (never secrets): shown as name: value. */
export function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
