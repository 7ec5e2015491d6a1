/**
 * `npm test` runs every project; e2e, pgbouncer and infra files run one at a time (see package.json).
 * - unit: *.spec.ts beside the code;
 * - medium: test/medium/*.medium-spec.ts, libs and app services in-process against PostgreSQL and Redis (no HTTP);
 * - e2e: test/*.e2e-spec.ts against the built apps, PostgreSQL, Redis, an SMTP sink;
 * - pgbouncer: the storefront and admin e2e suites again, through PgBouncer (transaction mode);
 * - infra: test/infra, the apps on a Redis Cluster and through a Sentinel failover.
 */
module.exports = {
  projects: [
    '<rootDir>/jest.unit.config.js',
    '<rootDir>/test/medium/jest-medium.config.js',
    '<rootDir>/test/jest-e2e.config.js',
    '<rootDir>/test/jest-pgbouncer.config.js',
    '<rootDir>/test/jest-infra.config.js',
  ],
};
