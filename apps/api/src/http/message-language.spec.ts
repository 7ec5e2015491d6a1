import { ErrorCode, passwordMismatch, resetRateLimited } from '@customer-access/common';
import { Translator } from '@customer-access/i18n';
import { MessageLanguage } from './message-language';

describe('MessageLanguage', () => {
  const language = new MessageLanguage(new Translator());

  it("speaks docs/api.md's English without Accept-Language, or when none of its languages is supported", () => {
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

describe('MessageLanguage.errorMessage', () => {
  const language = new MessageLanguage(new Translator());
  const storefront = (acceptLanguage?: string) => ({
    url: '/api/v1/customers/password/reset',
    headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {},
  });
  const mismatch = passwordMismatch();
  const body = { statusCode: 400, code: ErrorCode.PasswordMismatch, message: mismatch.message };

  it('translates a domain error by its key on storefront routes that ask for another language', () => {
    expect(language.errorMessage(storefront('zh-CN'), mismatch, body)).toBe('新密码与确认新密码不一致。');
    const limited = resetRateLimited('help@shop.cn', 60);
    expect(language.errorMessage(storefront('zh-CN'), limited, { statusCode: 429, code: limited.code, message: limited.message })).toBe(
      '我们收到的密码重置请求过多。请稍后再试，或联系 help@shop.cn。',
    );
  });

  it('keeps the English message without the header, for English, and off the storefront', () => {
    expect(language.errorMessage(storefront(), mismatch, body)).toBe(mismatch.message);
    expect(language.errorMessage(storefront('en-US'), mismatch, body)).toBe(mismatch.message);
    expect(language.errorMessage({ url: '/api/v1/admin/customers', headers: { 'accept-language': 'zh-CN' } }, mismatch, body)).toBe(
      mismatch.message,
    );
  });

  it('wraps a framework error’s specific English text in the language’s sentence', () => {
    const validation = { statusCode: 400, code: ErrorCode.Validation, message: 'email must be an email' };
    expect(language.errorMessage(storefront('zh-CN'), new Error('x'), validation)).toBe('请求无效：email must be an email');
  });
});
