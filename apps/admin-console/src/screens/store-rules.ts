import { isTimeZone } from '../../../../libs/settings/src/setting-fields';
import { parseStoreBaseUrl, STORE_CODE_PATTERN } from '../../../../libs/settings/src/stores/store-view-fields';
import { ApiFailure, StoreView } from '../api';

/** The console's translate function (i18n.tsx), as these rules need it. */
type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The rules of the Stores screen's forms, as the server applies them (docs/api.md, Stores), checked
 * before anything is sent; and the server's own refusal, field by field. Free of React and of the
 * bundle's catalogues, so a unit test (test/unit/console-store-rules.spec.ts) runs them.
 */

/** The code rule of websites and store views (docs/api.md, Stores): the server's own (store-view-fields.ts). */
export const CODE = STORE_CODE_PATTERN;
export const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
export const NAME_MAX = 100;

export type Field = Exclude<keyof StoreView, 'inherits'>;
export type Draft = Record<Exclude<Field, 'isActive'>, string> & { isActive: boolean };
export type Errors = Partial<Record<Field, string>>;

export const EMPTY_VIEW: Draft = {
  code: '',
  websiteCode: '',
  name: '',
  locale: 'en',
  timezone: 'UTC',
  baseUrl: '',
  mailFrom: '',
  supportEmail: '',
  isActive: true,
};

/**
 * A link base: http(s), a host, and nothing a link could be turned with (user info, query, fragment),
 * by the server's own rule (store-view-fields.ts). Whether production takes only https is the server's
 * to say (the console does not know the environment); its refusal lands beside the field.
 */
export function isBaseUrl(value: string): boolean {
  return parseStoreBaseUrl(value, { httpsOnly: false }) !== null;
}

/** A sender as MAIL_FROM writes it: an address, or "Name <address>". */
export function isSender(value: string): boolean {
  const match = /^[^<>]*<([^<>]+)>$/.exec(value);
  return EMAIL.test(match ? match[1].trim() : value);
}

/** The same rules the server applies, checked before sending, in the admin's language. */
export function check(t: Translate, draft: Draft, fields: readonly Field[], locales: readonly string[]): Errors {
  const errors: Errors = {};
  const text = (field: Exclude<Field, 'isActive'>) => draft[field].trim();
  for (const field of fields) {
    if (field === 'isActive') continue;
    const value = text(field);
    if (!value) errors[field] = t('common.required');
    else if (field === 'code' && !CODE.test(value)) errors[field] = t('stores.errors.code');
    else if (field === 'name' && value.length > NAME_MAX) errors[field] = t('options.errors.text', { max: NAME_MAX });
    else if (field === 'locale' && !locales.includes(value)) errors[field] = t('options.errors.choice');
    else if (field === 'timezone' && !isTimeZone(value)) errors[field] = t('options.errors.timeZone');
    else if (field === 'baseUrl' && !isBaseUrl(value)) errors[field] = t('stores.errors.baseUrl');
    else if (field === 'mailFrom' && !isSender(value)) errors[field] = t('stores.errors.mailFrom');
    else if (field === 'supportEmail' && !EMAIL.test(value)) errors[field] = t('common.invalidEmail');
  }
  return errors;
}

/**
 * The server's refusal, field by field where it names the field. A 400 VALIDATION message is one
 * sentence per field joined by "; " ("baseUrl must be …; mailFrom …"), each starting with the
 * field's name; a part that starts with no field name continues the sentence before it. A sentence
 * goes to the field it names first ("A website with the code eu already exists." → code).
 */
export function serverErrors(error: unknown, fields: readonly Field[]): { fields: Errors; rest: string[] } {
  const found: Errors = {};
  const rest: string[] = [];
  if (!(error instanceof ApiFailure)) return { fields: found, rest };
  const sentences: string[] = [];
  for (const part of error.message.split(/;\s*/).filter(Boolean)) {
    if (sentences.length && !fields.some((name) => part.startsWith(`${name} `))) sentences[sentences.length - 1] += `; ${part}`;
    else sentences.push(part);
  }
  for (const sentence of sentences) {
    const named = fields
      .map((name) => ({ name, at: sentence.search(new RegExp(`\\b${name}\\b`)) }))
      .filter((mention) => mention.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (named && !found[named.name]) found[named.name] = sentence;
    else rest.push(sentence);
  }
  return { fields: found, rest };
}
