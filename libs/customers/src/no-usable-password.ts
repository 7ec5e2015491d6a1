/**
 * The stored "hash" of an account without a usable password (imported without one, e.g. from
 * Shopify): no hash format starts with `!`, so nothing ever verifies against it. Sign-in answers as
 * for a wrong password, after one dummy argon2 verification (CustomerCredentials); a reset or an
 * invitation (customers:invite) gives the account its first password. In a file of its own so that
 * customers:import does not load Nest (PasswordHasher) to read it.
 */
export const NO_USABLE_PASSWORD = '!no-usable-password';
