import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { normalizeEmail } from '@customer-access/customers';

/**
 * Emails are normalized once, in one place (libs/customers/src/normalize-email.ts). Anywhere else,
 * an email must go through normalizeEmail rather than be case-folded, trimmed or NFKC'd by hand,
 * or two spellings of one address could be treated as two accounts (or one typed look-alike could
 * be matched to somebody else's account).
 */
const ROOT = join(__dirname, '..', '..');
const HOME = join('libs', 'customers', 'src', 'normalize-email.ts');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('email normalization lives in one place', () => {
  const files = ['apps', 'libs']
    .flatMap((dir) => sources(join(ROOT, dir)))
    .map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') }));

  it('no code outside normalize-email.ts folds an email by hand', () => {
    // e.g. `email.toLowerCase()`, `dto.email.trim()`, `username.normalize('NFKC')`
    const byHand =
      /\b\w*(email|username)\w*\s*(\?\.|\.)\s*(toLowerCase|toUpperCase|toLocaleLowerCase|toLocaleUpperCase|trim|normalize)\s*\(/i;
    const offenders = files.filter((f) => f.path !== HOME && byHand.test(f.text)).map((f) => `${f.path}: ${f.text.match(byHand)![0]}`);
    expect(offenders).toEqual([]);
  });

  it('every customer/admin lookup by email passes a normalized value', () => {
    const calls = files.flatMap((f) =>
      [...f.text.matchAll(/\.findByEmail\(\s*([^)]*)\)/g)].map((m) => ({ path: f.path, arg: m[1].split(',')[0].trim(), text: f.text })),
    );
    expect(calls.length).toBeGreaterThan(0);
    // normalizeEmail(x) inline, a variable named normalized…, or a name that the same file assigns
    // from normalizeEmail (e.g. `email: normalizeEmail(...)` then `findByEmail(demo.email)`).
    const assignedNormalized = (text: string, arg: string) => {
      const name = arg
        .split('.')
        .pop()!
        .replace(/[^\w$]/g, '');
      return name.length > 0 && new RegExp(`\\b${name}\\s*[:=]\\s*normalizeEmail\\(`).test(text);
    };
    const unnormalized = calls
      .filter((c) => !/^normalizeEmail\(|^normalized\w*$/i.test(c.arg) && !assignedNormalized(c.text, c.arg))
      .map(({ path, arg }) => ({ path, arg }));
    expect(unnormalized).toEqual([]);
  });

  it('folds compatibility forms and case, but keeps look-alikes distinct', () => {
    expect(normalizeEmail(' Mike@Example.COM ')).toBe('mike@example.com');
    expect(normalizeEmail('ｍｉｋｅ@example.com')).toBe('mike@example.com');
    expect(normalizeEmail('mi\u212Ae@example.com')).toBe('mike@example.com'); // Kelvin sign
    expect(normalizeEmail('mıke@example.com')).not.toBe('mike@example.com'); // dotless ı
    expect(normalizeEmail('mİke@example.com')).not.toBe('mike@example.com'); // dotted İ
    expect(normalizeEmail('mikе@example.com')).not.toBe('mike@example.com'); // Cyrillic е
    const once = normalizeEmail('ＭＩＫＥ@ＥＸＡＭＰＬＥ.ＣＯＭ');
    expect(normalizeEmail(once)).toBe(once);
  });
});

describe('normalizeEmail', () => {
  it('gives printable ASCII (which skips the NFKC step) the same answer as the full normalization', () => {
    const full = (raw: string) => raw.normalize('NFKC').trim().toLowerCase();
    const inputs = [' Ana@Example.COM ', 'ＡＮＡ@example.com', 'a\u00a0b@example.com', 'ﬁ@example.com', '\tx@y.z\n', 'İ@example.com'];
    for (let c = 0; c < 0x3000; c++) inputs.push(`a${String.fromCharCode(c)}B@Ex.com`);
    for (const raw of inputs) expect([raw, normalizeEmail(raw)]).toEqual([raw, full(raw)]);
  });
});
