/**
 * Medium tests (test/medium): repositories, use cases and handlers wired by Nest in-process, against
 * a real PostgreSQL (a fresh migrated database per file) and Redis (a claimed db index per file).
 * No HTTP, no spawned apps, no build needed.
 *
 *   npx jest --selectProjects medium
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('../tsconfig.json');

module.exports = {
  displayName: 'medium',
  rootDir: '..',
  roots: ['<rootDir>/test/medium'],
  testRegex: '\\.medium-spec\\.ts$',
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};
