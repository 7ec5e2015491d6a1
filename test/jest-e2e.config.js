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
  // Transpiled only (isolatedModules), as the unit and medium files are: `npm test` type-checks the
  // tests once beforehand (`npm run typecheck`), where ts-jest's type check cost seconds of CPU for
  // every file in every worker (a 4-test file: 16.5 s against 6 s).
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  testEnvironment: 'node',
  // testTimeout is not a per-project option; the setup file sets it for every e2e file.
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
  // A lib's index, or one of its light entries (`@customer-access/database/sql`, see tsconfig.json's paths).
  moduleNameMapper: {
    '^@customer-access/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@customer-access/([^/]+)/(.+)$': '<rootDir>/libs/$1/src/$2',
  },
};
