/**
 * The one place where an email address is normalized. Every lookup, uniqueness check and rate-limit
 * key goes through it, so two spellings of one address can never be treated as two accounts.
 *
 * NFKC folds compatibility forms (full-width "ｍｉｋｅ" becomes "mike"); lower-casing is
 * locale-independent, so the Turkish dotless "ı" stays "ı" and never collides with "i". Whatever
 * the typed form, mail only ever goes to the address stored on the matched account.
 */
export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}
