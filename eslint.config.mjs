import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', '@ecf/event-store*', '@ecf/projections*', 'better-sqlite3', 'pg', 'fs', 'node:fs'] }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Inject the clock (ctx.now).' }],
    },
  },
  // The event store is a library of its own: it knows stored events, not our domain or anything built on it.
  {
    files: ['libs/event-store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@ecf/domain*', '@ecf/command-handling*', '@ecf/projections*', '@ecf/runtime*', '@ecf/event-schemas*', '@nestjs/*'] }] },
  },
  // The read side never issues commands, and sits below the apps' wiring (its specs may load the real programme data).
  {
    files: ['libs/projections/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@ecf/command-handling*', '@ecf/runtime*', '@nestjs/*'] }] },
  },
  // The web console runs in the browser and reaches the back office through the HTTP API only.
  {
    files: ['apps/console/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: ['@ecf/*', '**/api/src/**', '**/libs/**', 'node:*'] }] },
  },
  { files: ['apps/cli/**/*.ts', 'bin/**/*.js', 'bench/**/*.ts'], rules: { 'no-console': 'off' } },
  { files: ['bin/**/*.js', '*.js', '*.mjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
