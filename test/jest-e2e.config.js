/**
 * End-to-end tests: black-box, against the built API and worker (run `npm run build` first),
 * a real PostgreSQL and Redis on 127.0.0.1, and an in-process SMTP sink.
 *
 *   npx jest --config test/jest-e2e.config.js
 */
module.exports = {
  displayName: 'e2e',
  rootDir: '..',
  roots: ['<rootDir>/test'],
  testRegex: '\\.e2e-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testEnvironment: 'node',
  // testTimeout is not a per-project option; the setup file sets it for every e2e file.
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
  // A lib's index, or one of its light entries (`@customer-access/database/sql`, see tsconfig.json's paths).
  moduleNameMapper: {
    '^@customer-access/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@customer-access/([^/]+)/(.+)$': '<rootDir>/libs/$1/src/$2',
  },
};
