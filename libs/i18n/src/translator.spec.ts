import { flattenCatalogue, loadCatalogues, placeholdersOf } from './catalogues';
import { MessageParams, Translator } from './translator';

describe('Translator', () => {
  const translator = new Translator();

  it('serves the source language byte for byte, placeholders filled and not HTML-escaped', () => {
    expect(translator.t('en', 'api.forgotAccepted', { email: "o'brien+1@example.com" })).toBe(
      "If there is an account associated with o'brien+1@example.com you will receive an email with a link to reset your password.",
    );
  });

  it('speaks zh-CN', () => {
    expect(translator.t('zh-CN', 'api.passwordUpdated')).toBe('您已更新密码。');
  });

  it('reads an unsupported locale as the source language', () => {
    expect(translator.t('fr', 'api.passwordUpdated')).toBe('You updated your password.');
  });

  it('lists the supported locales, source first, and resolves candidates against them', () => {
    expect(translator.locales[0]).toBe('en');
    expect(translator.locales).toContain('zh-CN');
    expect(translator.resolve(['zh_CN'])).toBe('zh-CN');
    expect(translator.resolve(['fr'], 'zh-cn')).toBe('zh-CN');
    expect(translator.resolve([undefined, 'fr', 'zh-Hans'])).toBe('zh-CN');
    expect(translator.resolve(['fr', 'de'])).toBe('en');
    // Answers are remembered per tag; asked again, a match and a miss answer the same.
    expect([translator.match('zh-Hans'), translator.match('zh-Hans'), translator.match('fr'), translator.match('fr')]).toEqual([
      'zh-CN',
      'zh-CN',
      undefined,
      undefined,
    ]);
  });
});

describe('Translator: the compiled messages say what i18next says', () => {
  const catalogues = loadCatalogues();
  const translator = new Translator(catalogues);
  // i18next's own answer, for comparison (the fast path is bypassed by asking it directly).
  const i18next = (locale: string, key: string, params: MessageParams) =>
    (translator as unknown as { i18n: { t: (k: string, o: object) => string } }).i18n.t(key, {
      ...params,
      lng: translator.locales.includes(locale) ? locale : 'en',
    });
  const awkward = [
    "o'brien+1@example.com",
    '{{email}}@example.com',
    '$t(api.passwordUpdated)@example.com',
    '$&$1$$@example.com',
    '{{- email}}',
    '}}{{',
    '<b>&amp;</b>',
    '  spaced  ',
    '名字@例子.公司',
    'a\\nb"c',
  ];
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const alphabet = 'ab{}$&-_.,()\'"<>/\\ t0';
  const randomValue = () =>
    random() < 0.4
      ? awkward[Math.floor(random() * awkward.length)]
      : Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

  it('for every message of every catalogue, in every locale, with awkward and random values', () => {
    const keys = new Set(Object.values(catalogues).flatMap((catalogue) => Object.keys(flattenCatalogue(catalogue))));
    let compared = 0;
    for (const locale of [...translator.locales, 'fr']) {
      for (const key of keys) {
        const names = placeholdersOf(catalogues.en ? (flattenCatalogue(catalogues.en)[key] ?? '') : '');
        for (let round = 0; round < 20; round++) {
          const params: MessageParams = {};
          for (const name of names) if (round === 0 || random() < 0.9) params[name] = randomValue();
          if (round % 7 === 3) params.extra = 'unused';
          if (round % 5 === 4 && names[0]) params[names[0]] = 42;
          expect(translator.t(locale, key, params)).toBe(i18next(locale, key, params));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('a missing key reads as i18next reads it', () => {
    expect(translator.t('en', 'api.noSuchMessage', { email: 'x' })).toBe(i18next('en', 'api.noSuchMessage', { email: 'x' }));
  });
});
