import { PasswordHasher } from './password-hasher';

describe('PasswordHasher (real argon2id)', () => {
  const hasher = new PasswordHasher();
  const nfc = 'Crème-Brûlée-2026'.normalize('NFC');
  const nfd = nfc.normalize('NFD');

  it('verifies a password typed in NFD against the hash of the same password set in NFC, and the reverse', async () => {
    expect(nfd).not.toBe(nfc);
    expect(await hasher.verify(await hasher.hash(nfc), nfd)).toBe(true);
    expect(await hasher.verify(await hasher.hash(nfd), nfc)).toBe(true);
  });

  it('treats compatibility forms as the same password (NFKC: a full-width digit is the digit)', async () => {
    expect(await hasher.verify(await hasher.hash('Passw0rd-Ⅻ'), 'Passw０rd-XII')).toBe(true);
  });

  it('still refuses a different password', async () => {
    expect(await hasher.verify(await hasher.hash(nfc), nfc.replace('è', 'e'))).toBe(false);
  });
});
