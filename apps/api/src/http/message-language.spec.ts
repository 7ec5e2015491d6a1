import { Translator } from '@customer-access/i18n';
import { MessageLanguage } from './message-language';

describe('MessageLanguage', () => {
  const language = new MessageLanguage(new Translator());

  it("speaks DESIGN.md's English without Accept-Language, or when none of its languages is supported", () => {
    expect(language.localeFor(undefined)).toBe('en');
    expect(language.localeFor('')).toBe('en');
    expect(language.localeFor('fr-FR, de;q=0.8')).toBe('en');
    expect(language.message(undefined, 'api.passwordUpdated')).toBe('You updated your password.');
  });

  it('takes the best supported language of the header', () => {
    expect(language.localeFor('zh-CN')).toBe('zh-CN');
    expect(language.localeFor('fr;q=0.9, zh-Hans;q=0.8, en;q=0.5')).toBe('zh-CN');
    expect(language.localeFor('en-GB, zh-CN;q=0.5')).toBe('en');
    expect(language.message('zh_CN', 'api.forgotAccepted', { email: 'a@b.cn' })).toBe(
      '如果存在与 a@b.cn 关联的帐户，您将收到一封电子邮件，其中包含重置密码的链接。',
    );
  });
});
