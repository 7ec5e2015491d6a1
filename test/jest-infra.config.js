/**
 * Infrastructure tests: the built API and worker on a real 3-primary Redis Cluster and on a
 * Sentinel-managed Redis (primary, replica, 3 sentinels), all started on 127.0.0.1 by the tests
 * themselves (test/support/redis-servers.ts). Part of `npm test`.
 */
const e2e = require('./jest-e2e.config');

module.exports = {
  ...e2e,
  displayName: 'infra',
  roots: ['<rootDir>/test/infra'],
  testRegex: '\\.infra-spec\\.ts$',
};
