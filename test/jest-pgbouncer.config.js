/**
 * The storefront and admin e2e suites again, unchanged, with the API, worker and CLI reaching
 * PostgreSQL through PgBouncer in transaction mode (E2E_POSTGRES_VIA=pgbouncer, see
 * test/support/stack.ts and pgbouncer.ts). Part of `npm test`.
 */
const e2e = require('./jest-e2e.config');

module.exports = {
  ...e2e,
  displayName: 'pgbouncer',
  testRegex: undefined,
  testMatch: ['<rootDir>/test/storefront-*.e2e-spec.ts', '<rootDir>/test/admin-*.e2e-spec.ts'],
  setupFiles: ['<rootDir>/test/support/via-pgbouncer.ts'],
};
