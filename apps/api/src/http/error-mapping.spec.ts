import { DomainError, ErrorCode, passwordMismatch, resetRateLimited, resetTokenExpired, resetTokenInvalid } from '@customer-access/common';
import { PasswordPolicy } from '@customer-access/customers';
import { Translator } from '@customer-access/i18n';
import { domainErrorAnswer, statusForCode, toErrorAnswer } from './error-mapping';

describe('error mapping (domain codes to HTTP)', () => {
  it('gives every code a status, the documented ones (docs/api.md) for the storefront codes', () => {
    for (const code of Object.values(ErrorCode)) expect(statusForCode(code)).toBeGreaterThanOrEqual(400);
    expect(statusForCode(ErrorCode.ResetRateLimited)).toBe(429);
    expect(statusForCode(ErrorCode.EmailTaken)).toBe(409);
    expect(statusForCode(ErrorCode.CustomerHasNoTokens)).toBe(409);
    expect(statusForCode(ErrorCode.Unauthorized)).toBe(401);
    expect(statusForCode(ErrorCode.ResetTokenInvalid)).toBe(400);
  });

  it('turns retryAfterSeconds into Retry-After and realm into WWW-Authenticate', () => {
    expect(domainErrorAnswer(resetRateLimited('help@shop.test', 42))).toEqual({
      body: {
        statusCode: 429,
        code: 'RESET_RATE_LIMITED',
        message: 'We received too many requests for password resets. Please wait and try again later or contact help@shop.test.',
      },
      headers: { 'Retry-After': '42' },
    });
    const unauthorized = toErrorAnswer(new DomainError(ErrorCode.Unauthorized, 'A valid metrics token is required.', { realm: 'metrics' }));
    expect(unauthorized.body.statusCode).toBe(401);
    expect(unauthorized.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="metrics"' });
  });

  it('answers an unexpected error with a generic 500', () => {
    expect(toErrorAnswer(new Error('secret detail')).body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error.',
    });
  });
});

describe('domain error messages and the en catalogue', () => {
  const translator = new Translator();

  it('render from messageKey + params to exactly the English text a client receives', () => {
    for (const error of [resetTokenInvalid(), resetTokenExpired(), passwordMismatch(), resetRateLimited('help@shop.test', 5)]) {
      expect(translator.t('en', error.messageKey!, error.params)).toBe(error.message);
    }
  });

  it('render every password-policy violation the same way', () => {
    const policy = new PasswordPolicy();
    const settings = { minPasswordLength: 8, requiredCharacterClasses: 3 };
    const passwords = ['short', 'x'.repeat(300), 'has space1A', 'lowercaseonly', 'Password1'];
    const violations = passwords.map((password) => policy.check(password, settings)!);
    expect(new Set(violations.map((v) => v.messageKey)).size).toBe(passwords.length);
    for (const violation of violations) expect(translator.t('en', violation.messageKey, violation.params)).toBe(violation.message);
  });
});
