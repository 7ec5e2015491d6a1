import { randomBytes } from 'node:crypto';
import { magentoV1Sha256Test } from './index';

describe("identify's Magento sha256 test, a character at a time", () => {
  it('answers as the regular expression for hashes, near misses and random text', () => {
    const hex = 'a853b06f077b686f8a3af80c98acfca763cf10c0e03597c67e756f1c782d1ab0';
    const cases = [
      `${hex}:8qnyO4H1OYIfGCUb:1`,
      `${hex}::1`,
      `${hex.toUpperCase()}:salt:1`,
      `${hex}:sa:lt:1`,
      `${hex}:salt:2`,
      `${hex}:salt:1\n`,
      `${hex}:salt:11`,
      `${hex.slice(1)}:salt:1`,
      `${hex}0:salt:1`,
      `${hex.slice(0, 63)}g:salt:1`,
      `${hex}:\n:1`,
      `${hex}:1`,
      `${hex}:`,
      '',
      ':1',
    ];
    const alphabet = '0123456789abcdefABCDEFgG:1\n ';
    for (let i = 0; i < 5000; i++) {
      const chars = [...`${hex}:salt:1`];
      for (const at of randomBytes(2)) chars[at % chars.length] = alphabet[randomBytes(1)[0] % alphabet.length];
      cases.push(chars.join(''));
    }
    for (const hash of cases) expect([hash, magentoV1Sha256Test.fast(hash)]).toEqual([hash, magentoV1Sha256Test.regex.test(hash)]);
  });
});
