import { canonicalLocaleTag, matchSupportedLocale, parseAcceptLanguage, storableLocaleTag } from './locales';

const SUPPORTED = ['en', 'zh-CN'];

describe('locales', () => {
  it('canonicalize tags as people write them', () => {
    expect(canonicalLocaleTag('zh_CN')).toBe('zh-CN');
    expect(canonicalLocaleTag('zh-cn')).toBe('zh-CN');
    expect(canonicalLocaleTag('EN_us')).toBe('en-US');
    expect(canonicalLocaleTag('zh-Hans-CN')).toBe('zh-Hans-CN');
    expect(canonicalLocaleTag('not a tag')).toBeUndefined();
    expect(canonicalLocaleTag('')).toBeUndefined();
    expect(canonicalLocaleTag(undefined)).toBeUndefined();
  });

  it.each([
    ['zh_CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['en', 'en'],
    ['en_US', 'en'],
    ['en-GB', 'en'],
  ])('match %s to %s', (input, expected) => {
    expect(matchSupportedLocale(input, SUPPORTED)).toBe(expected);
  });

  it.each(['zh-TW', 'zh-Hant', 'fr-FR', 'de', '', 'x'])('match no supported locale for %j', (input) => {
    expect(matchSupportedLocale(input, SUPPORTED)).toBeUndefined();
  });

  it('order Accept-Language by q-value, then position', () => {
    expect(parseAcceptLanguage('fr;q=0.5, zh-CN, en;q=0.8, *;q=0.1, de;q=0')).toEqual(['zh-CN', 'en', 'fr']);
    expect(parseAcceptLanguage('')).toEqual([]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });
});

describe('storableLocaleTag', () => {
  it.each([
    ['zh_CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['en_US', 'en'],
    ['fr_FR', 'fr-FR'],
    ['de', 'de'],
  ])('stores %s as %s', (input, expected) => {
    expect(storableLocaleTag(input, SUPPORTED)).toBe(expected);
  });
  it('stores nothing for what is not a language tag', () => {
    expect(storableLocaleTag('not a tag', SUPPORTED)).toBeUndefined();
    expect(storableLocaleTag(undefined, SUPPORTED)).toBeUndefined();
  });
});
