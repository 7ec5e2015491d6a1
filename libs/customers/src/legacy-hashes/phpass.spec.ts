import { createHash } from 'node:crypto';
import { md5Rounds, phpass } from './phpass';

/** The loop as phpass writes it, run here in place: the reference the worker's answer must equal. */
function md5RoundsInPlace(salt: Buffer, password: Buffer, rounds: number): Buffer {
  let hash = createHash('md5').update(salt).update(password).digest();
  for (let count = rounds; count > 0; count--) hash = createHash('md5').update(hash).update(password).digest();
  return hash;
}

describe('phpass off the event loop', () => {
  it('computes the same md5 rounds as the loop run in place, for requests side by side', async () => {
    const salt = Buffer.from('abcdefgh');
    const passwords = ['one', 'two', 'Crème-brûlée', ''].map((p) => Buffer.from(p, 'utf8'));
    const answers = await Promise.all(passwords.map((pw) => md5Rounds(salt, pw, 2 ** 10)));
    expect(answers.map((a) => a.toString('hex'))).toEqual(passwords.map((pw) => md5RoundsInPlace(salt, pw, 2 ** 10).toString('hex')));
  });

  it('leaves the event loop free while it verifies a 2^16-round hash (the import limit)', async () => {
    // A well-formed $P$E hash (2^16 rounds) that "secret" does not match: the whole loop runs.
    const parsed = phpass.parse('$P$E12345678' + 'A'.repeat(22));
    expect(parsed?.parsed.log2Rounds).toBe(16);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    const started = Date.now();
    const ok = await phpass.verify('secret', parsed!.parsed);
    const took = Date.now() - started;
    clearInterval(timer);
    expect(ok).toBe(false);
    // Run in place, the loop would hold the event loop for all of `took`: no timer could fire.
    expect(ticks).toBeGreaterThanOrEqual(Math.min(5, Math.floor(took / 10)));
    expect(ticks).toBeGreaterThan(0);
  });
});
