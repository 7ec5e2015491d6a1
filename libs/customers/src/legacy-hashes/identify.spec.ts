import { createHash } from 'node:crypto';
import { argon2 } from './argon2';
import { bcrypt } from './bcrypt';
import { identify } from './index';
import { magento } from './magento';
import { django, pbkdf2Sha256 } from './pbkdf2';
import { phpass } from './phpass';
import { wordpress } from './wordpress';

/** identify's shortcut for `sha256hex:salt:1` answers what the families, tried in full, answer. */
describe('identify: the Magento v1 sha256 shortcut', () => {
  const hex = createHash('sha256').update('salt-and-password').digest('hex');
  const others = [wordpress, bcrypt, phpass, argon2, pbkdf2Sha256, django];

  /** What parsing in full gives: the one family that claims the hash, or its refusal. */
  function byParsing(hash: string): string {
    for (const family of others) expect({ hash, claimed: family.parse(hash) }).toEqual({ hash, claimed: null });
    try {
      return magento.parse(hash)?.algorithm ?? 'unclaimed';
    } catch (error) {
      return `refused: ${(error as Error).message}`;
    }
  }
  const identified = (hash: string): string => {
    try {
      return identify(hash);
    } catch (error) {
      // No family claims it: identify's own refusal.
      if ((error as Error).message.includes('(unknown-format)')) return 'unclaimed';
      return `refused: ${(error as Error).message}`;
    }
  };

  it.each([
    `${hex}:0123456789abcdef0123456789abcdef:1`,
    `${hex.toUpperCase()}:SALT:1`,
    `${hex}::1`,
    `${hex}:$alt with spaces and $ signs:1`,
    `${hex}:sälz:1`,
    `${hex}:salt:1:1`,
    `${hex}:salt:1:2`,
    `${hex}:salt:2`,
    `${hex}:salt:0`,
    `${hex}:salt:10`,
    `${hex}:salt:1 `,
    `${hex}:salt`,
    `${hex.slice(1)}:salt:1`,
    `${hex}0:salt:1`,
    `${hex.slice(0, 63)}g:salt:1`,
    `${hex.slice(0, 32)}:salt:0`,
    `${hex}:${'s'.repeat(957)}:1`, // 1,024 characters
  ])('%j', (hash) => {
    expect(identified(hash)).toBe(byParsing(hash));
  });

  it('takes the shortcut for the export form and refuses a hash too long as before', () => {
    expect(identify(`${hex}:salt:1`)).toBe('magento-v1-sha256');
    expect(() => identify(`${hex}:${'s'.repeat(958)}:1`)).toThrow('longer than 1024');
  });
});
