/** Unit tests live beside the code; end-to-end tests (real processes, real HTTP) live in test/. */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, keepClassNames: true } }];
const moduleNameMapper = {
  '^@ecf/domain(.*)$': '<rootDir>/libs/domain/src$1',
  '^@ecf/event-store(.*)$': '<rootDir>/libs/event-store/src$1',
  '^@ecf/projections(.*)$': '<rootDir>/libs/projections/src$1',
  '^@ecf/command-handling(.*)$': '<rootDir>/libs/command-handling/src$1',
  '^@ecf/runtime(.*)$': '<rootDir>/libs/runtime/src$1',
  '^@ecf/event-schemas$': '<rootDir>/event-schemas/registry',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/bench/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'] },
  ],
};
