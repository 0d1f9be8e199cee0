// Two tiers, as in docker/actions-toolkit: fast unit tests and real-Docker integration
// tests (*.itg.test.ts). `npm test` runs both; `npm run test:unit` only the first.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};
export default {
  // Integration tests build images and run containers; generous, since CI machines vary.
  testTimeout: 300_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.itg\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'itg',
      testMatch: ['<rootDir>/__tests__/**/*.itg.test.ts'],
      globalSetup: '<rootDir>/__tests__/helpers/global-setup.cjs',
    },
  ],
};
