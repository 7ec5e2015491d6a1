import { Translator } from './translator';

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
