/**
 * `npm test` runs every project on two workers (see package.json). Files may run side by side: each
 * e2e file has its own database, Redis db index, SMTP sink, ports and processes, and fault tests put
 * a proxy of their own in front of PostgreSQL or Redis instead of touching the shared servers.
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
