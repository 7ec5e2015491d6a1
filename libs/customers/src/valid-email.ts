// validator's isEmail is what class-validator's @IsEmail() (registration) calls, with the same
// defaults; imported alone, it spares the importer loading all of class-validator.
import isEmail from 'validator/lib/isEmail';

const enum Char {
  Dot = 0x2e,
  At = 0x40,
  Hyphen = 0x2d,
}

/** The ASCII characters validator's isEmail allows in a dot-atom local part (its emailUserPart), by code. */
const LOCAL = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~") LOCAL[c.charCodeAt(0)] = 1;
/** Letters, digits and the hyphen: a DNS label (isFQDN allows more, never fewer, with allow_underscores off). */
const LABEL = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-') LABEL[c.charCodeAt(0)] = 1;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);

/**
 * The plainest addresses, recognized in one pass without allocating: ASCII, one `@`, a local part of
 * at most 64 characters made of dot-separated runs of isEmail's own characters, and a domain of at
 * least two labels of letters, digits and inner hyphens (1–63 each) whose last is letters only (2+),
 * the whole at most 254 characters. Every such address is one validator's isEmail accepts (the unit
 * test holds the two side by side); anything else is left to isEmail. True means valid; false means
 * "ask isEmail", never "invalid".
 */
export function isPlainEmail(email: string): boolean {
  const length = email.length;
  if (length > 254) return false;
  const at = email.indexOf('@');
  if (at < 1 || at > 64) return false;
  // Local part: no empty run (no leading, trailing or doubled dot).
  let previous = Char.Dot as number;
  for (let i = 0; i < at; i++) {
    const c = email.charCodeAt(i);
    if (c === Char.Dot) {
      if (previous === Char.Dot) return false;
    } else if (c >= 128 || LOCAL[c] === 0) return false;
    previous = c;
  }
  if (previous === Char.Dot) return false;
  // Domain: labels that neither start nor end with a hyphen; the last one (the TLD) letters only.
  let labels = 0;
  let labelStart = at + 1;
  let tldLetters = true;
  for (let i = at + 1; i <= length; i++) {
    const c = i === length ? Char.Dot : email.charCodeAt(i);
    if (c === Char.Dot) {
      const size = i - labelStart;
      if (size < 1 || size > 63) return false;
      if (email.charCodeAt(labelStart) === Char.Hyphen || email.charCodeAt(i - 1) === Char.Hyphen) return false;
      labels++;
      if (i === length) return labels >= 2 && size >= 2 && tldLetters;
      labelStart = i + 1;
      tldLetters = true;
    } else {
      if (c >= 128 || LABEL[c] === 0) return false;
      if (!isLetter(c)) tldLetters = false;
    }
  }
  return false;
}

/** validator's isEmail (registration's rule), answered without it for the plainest addresses ({@link isPlainEmail}). */
export function isValidEmail(email: string): boolean {
  return isPlainEmail(email) || isEmail(email);
}
