import isEmail from 'validator/lib/isEmail';
import { normalizeEmail } from './normalize-email';
import { isPlainEmail, isValidEmail } from './valid-email';

/** Every address the one-pass check accepts, validator's isEmail (registration's rule) accepts too. */
describe('isValidEmail (the importer): exactly validator isEmail', () => {
  const label63 = 'a'.repeat(63);
  const TRICKY = [
    'jane@example.com',
    'Jane.Doe@Example.COM',
    'customer.0@bench.example',
    "o'brien+tag/x=y?z^_`{|}~!#$%&*@shop.example",
    'a@b.co',
    'a@b.c',
    'a@b',
    'a@b.c1',
    'a@b.123',
    'a@1.com',
    'a@xn--p1ai.xn--p1ai',
    'a@xn--80ak6aa92e.com',
    'a@-b.com',
    'a@b-.com',
    'a@b--c.com',
    'a@b_c.com',
    'a@.com',
    'a@b..com',
    'a@b.com.',
    '.a@b.com',
    'a.@b.com',
    'a..b@b.com',
    '@b.com',
    'a@',
    'a',
    '',
    'a@b@c.com',
    '"a b"@c.com',
    '"a"@c.com',
    'a b@c.com',
    ' a@b.com',
    'a@b.com ',
    'a@b .com',
    'a\t@b.com',
    'a\n@b.com',
    'ä@b.com',
    'a@bä.com',
    'a@b.cä',
    'a@b.ｃｏｍ',
    'ｍike@b.com',
    'a@b.co\u00a0',
    'a@[127.0.0.1]',
    'a@127.0.0.1',
    'a(b)@c.com',
    'a,b@c.com',
    'a;b@c.com',
    'a<b>@c.com',
    'a[b]@c.com',
    'a\\b@c.com',
    'a:b@c.com',
    `${'a'.repeat(64)}@b.com`,
    `${'a'.repeat(65)}@b.com`,
    `a@${label63}.com`,
    `a@${'a'.repeat(64)}.com`,
    `a@b.${'c'.repeat(63)}`,
    `a@b.${'c'.repeat(64)}`,
    `${'a'.repeat(64)}@${label63}.${label63}.${'b'.repeat(61)}`, // 254 characters
    `${'a'.repeat(64)}@${label63}.${label63}.${'b'.repeat(62)}`, // 255
    `${'a'.repeat(63)}@${label63}.${label63}.${'b'.repeat(62)}`, // 254, a longer domain
  ];

  it.each(TRICKY)('%j', (address) => {
    expect(isValidEmail(address)).toBe(isEmail(address));
    if (isPlainEmail(address)) expect(isEmail(address)).toBe(true);
  });

  it('answers the plain addresses of an export without validator, and leaves the rest to it', () => {
    for (const plain of ['jane@example.com', 'customer.0@bench.example', "o'brien+tag@shop.example", `a@${label63}.com`]) {
      expect(isPlainEmail(plain)).toBe(true);
    }
    for (const other of ['a@xn--p1ai.xn--p1ai', 'ä@b.com', '"a"@c.com', 'a@b.c1']) expect(isPlainEmail(other)).toBe(false);
    const longest = `${'a'.repeat(64)}@${label63}.${label63}.${'b'.repeat(61)}`;
    expect(longest).toHaveLength(254);
    expect(isEmail(longest)).toBe(true);
    expect(isPlainEmail(longest)).toBe(true);
    expect(isPlainEmail(`${longest}b`)).toBe(false);
  });

  it('agrees with isEmail on 20,000 random addresses built from the characters that matter', () => {
    // A fixed-seed generator: the same cases on every run.
    let seed = 20;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pick = (list: string[]) => list[random(list.length)];
    const PLAIN = ['a', 'z', 'Q', '0', '9', 'ab', 'xy'];
    const ODD = ['.', '@', '-', '_', '+', "'", '"', ' ', 'é', 'ｍ', '\u00a0', '(', '[', '\\', 'xn--', '1', '..'];
    const piece = () => (random(3) === 0 ? pick(ODD) : pick(PLAIN));
    const run = (max: number) => Array.from({ length: 1 + random(max) }, piece).join('');
    const TLDS = ['com', 'co', 'c', 'c1', '12', 'xn--p1ai', 'ｃｏｍ', 'cé', 'c-', 'c_m', ''];
    let plain = 0;
    for (let n = 0; n < 20_000; n++) {
      const labels = Array.from({ length: random(3) }, () => run(4));
      const address = `${run(6)}${random(8) === 0 ? '' : '@'}${[...labels, pick(TLDS)].join('.')}`;
      const fast = isPlainEmail(address);
      if (fast) plain++;
      expect({ address, accepted: isValidEmail(address) }).toEqual({ address, accepted: isEmail(address) });
      if (fast) expect({ address, isEmail: isEmail(address) }).toEqual({ address, isEmail: true });
      // As the importer asks: after registration's normalization.
      const normalized = normalizeEmail(address);
      if (isPlainEmail(normalized)) expect({ normalized, isEmail: isEmail(normalized) }).toEqual({ normalized, isEmail: true });
    }
    expect(plain).toBeGreaterThan(200); // the generator reaches the one-pass path, not only isEmail's
  });
});
