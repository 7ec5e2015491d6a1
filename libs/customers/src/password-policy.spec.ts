import { DEFAULT_SETTINGS } from '@customer-access/settings';
import { PasswordPolicy } from './password-policy';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy();
  const defaults = {
    minPasswordLength: DEFAULT_SETTINGS.minPasswordLength,
    requiredCharacterClasses: DEFAULT_SETTINGS.requiredCharacterClasses,
  };

  it('accepts a 6-character password by default', () => {
    expect(policy.violation('kx7#qz', defaults)).toBeNull();
  });

  it('rejects fewer than minPasswordLength characters, counted in code points', () => {
    expect(policy.violation('kx7#q', defaults)).toMatch(/at least 6 characters/);
    expect(policy.violation('🔑🔑🔑🔑🔑', defaults)).toMatch(/at least 6/);
    expect(policy.violation('🔑🔑🔑🔑🔑🔑', defaults)).toBeNull();
  });

  it('rejects any whitespace, anywhere', () => {
    for (const p of ['has space1', ' leading9x', 'trailing9x ', 'tab\tinside9', 'nbsp\u00a0inside9', 'ideographic\u3000x9']) {
      expect(policy.violation(p, defaults)).toMatch(/spaces/);
    }
  });

  it('accepts 256 characters and rejects 257, never truncating', () => {
    const base = 'Zq8!'.repeat(64);
    expect(policy.violation(base, defaults)).toBeNull();
    expect(policy.violation(base + 'x', defaults)).toMatch(/at most 256/);
  });

  it('counts character classes against requiredCharacterClasses', () => {
    const settings = { ...defaults, requiredCharacterClasses: 3 };
    expect(policy.violation('lowercaseonly', settings)).toMatch(/3 different classes/);
    expect(policy.violation('lowerUPPER', settings)).toMatch(/3 different classes/);
    expect(policy.violation('lowerUPPER7', settings)).toBeNull();
    expect(policy.violation('ÄÖÜäöü7', settings)).toBeNull();
    expect(policy.violation('lowerUPPER7!', { ...defaults, requiredCharacterClasses: 4 })).toBeNull();
  });

  it('rejects common passwords case-insensitively', () => {
    for (const p of ['password', '123456', 'qwerty', 'Password', 'iloveyou']) {
      expect(policy.violation(p, defaults)).toMatch(/too common/);
    }
  });

  it('raises PASSWORD_POLICY through assertAcceptable', () => {
    expect(() => policy.assertAcceptable('short', defaults)).toThrow(
      expect.objectContaining({ code: 'PASSWORD_POLICY', messageKey: 'policy.tooShort' }),
    );
  });
});
