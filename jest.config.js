// Three tiers (DESIGN.md §5): unit tests touch no I/O; integration and e2e tests talk to a real
// Kafka broker and a real MongoDB-wire server provided by test/global-setup.ts.
const moduleNameMapper = {
  '^@ledger/(domain|event-store|messaging|read-models|config|testing|database|transparency-log|transparency)(/.*)?$':
    '<rootDir>/libs/$1/src$2',
};
// content-disposition (under @fastify/static, for the Swagger UI) and json-schema-ref-parser (under swagger-parser,
// which checks the OpenAPI document) ship ES modules only: Jest must transpile them.
const transform = { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] };
const transformIgnorePatterns = [
  '/node_modules/(?!(content-disposition|@apidevtools/json-schema-ref-parser)/)',
];
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleNameMapper,
  transform,
  transformIgnorePatterns,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/jest.setup.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/jest.setup.ts'],
    },
  ],
};
