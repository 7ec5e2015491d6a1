// ESLint flat config: typescript-eslint's recommended rules plus the type-aware ones that catch
// real bugs in a Nest/BullMQ codebase (promises nobody awaits, async callbacks where void is expected).
// Formatting is Prettier's job, so eslint-config-prettier switches off every stylistic rule.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'var/', 'coverage/', '.bench/', '.dist-build-*/', '.dist-old-*/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The admin console's .tsx/.mts files are type-checked against its own tsconfig (DOM, JSX),
    // which the project service finds next to them.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // Jest transpiles each file alone (isolatedModules): a re-exported type must say so, or the
      // transpiled index re-exports a value that does not exist (TS1205 under tsconfig.jest.json).
      '@typescript-eslint/consistent-type-exports': ['error', { fixMixedExportsWithInlineTypeSpecifier: true }],
    },
  },
  {
    files: ['apps/admin-console/**/*.tsx', 'apps/admin-console/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The hosted pages' one script runs in the browser.
    files: ['apps/api/pages/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', window: 'readonly' } },
  },
  {
    // The forgot page's proof of work: a module, loaded after the ALTCHA widget's (docs/api.md, Abuse protection).
    files: ['apps/api/pages/assets/reset-challenge.js'],
    languageOptions: { sourceType: 'module', globals: { document: 'readonly', Worker: 'readonly' } },
  },
  prettier,
);
