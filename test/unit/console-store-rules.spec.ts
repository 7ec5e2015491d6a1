import { ApiFailure } from '../../apps/admin-console/src/api';
import { check, Draft, EMPTY_VIEW, Field, isBaseUrl, isSender, serverErrors } from '../../apps/admin-console/src/screens/store-rules';

/** The Stores screen's checks before sending, and how it places the server's refusal on its fields. */
describe('console store rules', () => {
  const t = (key: string) => key;
  const all: Field[] = ['code', 'websiteCode', 'name', 'locale', 'timezone', 'baseUrl', 'mailFrom', 'supportEmail', 'isActive'];
  const good: Draft = {
    ...EMPTY_VIEW,
    code: 'eu_de',
    websiteCode: 'eu',
    name: 'Harbour Tea EU',
    locale: 'zh-CN',
    timezone: 'Europe/Berlin',
    baseUrl: 'https://eu.example.com',
    mailFrom: 'Harbour Tea <no-reply@eu.example.com>',
    supportEmail: 'help@eu.example.com',
  };

  it('accepts a good store view', () => {
    expect(check(t, good, all, ['en', 'zh-CN'])).toEqual({});
  });

  it.each([
    ['code', 'EU', 'stores.errors.code'],
    ['code', '1eu', 'stores.errors.code'],
    ['code', 'a'.repeat(33), 'stores.errors.code'],
    ['name', '  ', 'common.required'],
    ['locale', 'fr', 'options.errors.choice'],
    ['timezone', 'Mars/Olympus', 'options.errors.timeZone'],
    ['baseUrl', 'ftp://eu.example.com', 'stores.errors.baseUrl'],
    ['baseUrl', 'https://user:pw@eu.example.com', 'stores.errors.baseUrl'],
    ['baseUrl', 'https://eu.example.com/?next=x', 'stores.errors.baseUrl'],
    ['baseUrl', 'https://eu.example.com/#x', 'stores.errors.baseUrl'],
    ['baseUrl', 'eu.example.com', 'stores.errors.baseUrl'],
    ['mailFrom', 'Harbour Tea', 'stores.errors.mailFrom'],
    ['supportEmail', 'help', 'common.invalidEmail'],
  ] as Array<[Exclude<Field, 'isActive'>, string, string]>)('refuses %s %p with %s', (field, value, key) => {
    expect(check(t, { ...good, [field]: value }, all, ['en', 'zh-CN'])).toEqual({ [field]: key });
  });

  it('checks only the fields the form has', () => {
    expect(check(t, { ...EMPTY_VIEW, code: 'eu', name: 'EU' }, ['code', 'name'], ['en'])).toEqual({});
  });

  it('knows a base URL and a sender', () => {
    expect(isBaseUrl('http://store-a.test:3000')).toBe(true);
    expect(isBaseUrl('https://shop.example.com/de')).toBe(true);
    expect(isSender('no-reply@example.com')).toBe(true);
    expect(isSender('"My Store" <no-reply@example.com>')).toBe(true);
    expect(isSender('My Store <no-reply>')).toBe(false);
  });

  it('places each sentence of a 400 on the field it names first, and keeps the rest as the message', () => {
    const failure = (message: string) => new ApiFailure(400, 'VALIDATION', message);
    expect(
      serverErrors(failure('baseUrl must be an https URL in production; mailFrom must be an email, or a name and an address'), all),
    ).toEqual({
      fields: { baseUrl: 'baseUrl must be an https URL in production', mailFrom: 'mailFrom must be an email, or a name and an address' },
      rest: [],
    });
    expect(serverErrors(failure('websiteCode must name a website; there is no website eu'), all)).toEqual({
      fields: { websiteCode: 'websiteCode must name a website; there is no website eu' },
      rest: [],
    });
    expect(serverErrors(failure('A website with the code eu already exists.'), ['code', 'name'])).toEqual({
      fields: { code: 'A website with the code eu already exists.' },
      rest: [],
    });
    expect(serverErrors(failure('The default store view cannot be deactivated'), all)).toEqual({
      fields: {},
      rest: ['The default store view cannot be deactivated'],
    });
    expect(serverErrors(new Error('network'), all)).toEqual({ fields: {}, rest: [] });
  });
});
