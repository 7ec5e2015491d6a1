/** `npm test` runs both projects; e2e files run one at a time (see package.json). */
module.exports = {
  projects: ['<rootDir>/jest.unit.config.js', '<rootDir>/test/jest-e2e.config.js'],
};
