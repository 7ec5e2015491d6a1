/**
 * Medium tests: repositories and services in-process against a real PostgreSQL (and Redis where
 * needed) on 127.0.0.1, each file in a fresh migrated database; no HTTP, no spawned apps.
 *
 *   npx jest --selectProjects medium
 */
module.exports = {
  displayName: 'medium',
  rootDir: '../..',
  roots: ['<rootDir>/test/medium'],
  testRegex: '\\.medium-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
  // A lib's index, or one of its light entries (`@customer-access/database/sql`, see tsconfig.json's paths).
  moduleNameMapper: {
    '^@customer-access/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@customer-access/([^/]+)/(.+)$': '<rootDir>/libs/$1/src/$2',
  },
};
