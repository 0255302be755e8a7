import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'coverage/', 'test-artifacts/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is bundled into Temporal's deterministic sandbox: no Node built-ins there.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflows must be deterministic: no Node built-ins.',
          })),
        },
      ],
    },
  },
  {
    // The product never imports the local toolkit, the demo or the tests: a production install has
    // none of them.
    files: ['activities/**/*.ts', 'clients/**/*.ts', 'lib/**/*.ts', 'workers/**/*.ts'],
    ignores: ['workflows/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@docket/local', '@docket/local/*', '**/local/*', '**/demo/*', '**/test/*'],
              message: 'The product must not depend on the local toolkit, the demo or the tests.',
            },
          ],
        },
      ],
    },
  },
  {
    // The desk's browser script: script files sharing one global scope, concatenated into one
    // desk.js (clients/desk/browser/tsconfig.json), so a file's top-level names are used by the next.
    files: ['clients/desk/browser/*.ts'],
    languageOptions: { sourceType: 'script' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { vars: 'local', argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Stubs and fakes implement async interfaces without awaiting anything.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
