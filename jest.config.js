/** `npm test` runs every project (unit, medium, e2e); e2e files run one at a time (see package.json). */
module.exports = {
  projects: ['<rootDir>/jest.unit.config.js', '<rootDir>/test/medium/jest-medium.config.js', '<rootDir>/test/jest-e2e.config.js'],
};
