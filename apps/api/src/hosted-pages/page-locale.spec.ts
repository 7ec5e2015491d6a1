import type { FastifyRequest } from 'fastify';
import { Translator } from '@customer-access/i18n';
import { PageCookies } from './page-cookies';
import { pageLocale } from './page-locale';

/** docs/api.md, Hosted pages: `?lang=`, then the cookie, then (reset page) the customer's locale, then Accept-Language, then the default. */
describe('pageLocale', () => {
  const translator = new Translator();
  const cookies = new PageCookies(false);
  const request = (query: Record<string, unknown>, cookie: Record<string, string>, acceptLanguage?: string) =>
    ({ query, cookies: cookie, headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} }) as unknown as FastifyRequest;

  it('takes ?lang= first and reports it as a choice to remember', () => {
    expect(pageLocale(translator, cookies, request({ lang: 'zh_CN' }, { lang: 'en' }, 'en'))).toEqual({ locale: 'zh-CN', chosen: 'zh-CN' });
  });

  it('then the cookie, then the customer, then Accept-Language, then the default', () => {
    expect(pageLocale(translator, cookies, request({}, { lang: 'zh-CN' }, 'en')).locale).toBe('zh-CN');
    expect(pageLocale(translator, cookies, request({}, {}, 'en'), { customerLocale: 'zh-CN' }).locale).toBe('zh-CN');
    expect(pageLocale(translator, cookies, request({}, {}, 'fr, zh-Hans;q=0.8, en;q=0.5')).locale).toBe('zh-CN');
    expect(pageLocale(translator, cookies, request({}, {}, 'fr'), { defaultLocale: 'zh-CN' }).locale).toBe('zh-CN');
    expect(pageLocale(translator, cookies, request({}, {})).locale).toBe('en');
  });

  it('ignores what it does not serve: an unsupported ?lang= is no choice, a bad cookie is skipped', () => {
    expect(pageLocale(translator, cookies, request({ lang: 'fr' }, { lang: 'xx' }, 'zh-CN'))).toEqual({
      locale: 'zh-CN',
      chosen: undefined,
    });
    expect(pageLocale(translator, cookies, request({ lang: ['en', 'zh-CN'] }, {}, 'zh-CN')).locale).toBe('zh-CN');
  });
});
