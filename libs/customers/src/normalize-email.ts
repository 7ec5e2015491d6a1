/**
 * The one place where an email address is normalized. Every lookup, uniqueness check and rate-limit
 * key goes through it, so two spellings of one address can never be treated as two accounts.
 *
 * NFKC folds compatibility forms (full-width "ｍｉｋｅ" becomes "mike"); lower-casing is
 * locale-independent, so the Turkish dotless "ı" stays "ı" and never collides with "i". Whatever
 * the typed form, mail only ever goes to the address stored on the matched account.
 */
export function normalizeEmail(raw: string): string {
  // Printable ASCII is its own NFKC form: the usual address skips the normalizer (same result).
  return (isPrintableAscii(raw) ? raw : raw.normalize('NFKC')).trim().toLowerCase();
}

function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
