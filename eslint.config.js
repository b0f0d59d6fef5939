// The UI's lint: ESLint's recommended rules for JavaScript, TypeScript and Svelte, on the
// window's sources and the end-to-end tests. Run by `./dev test` (npm run lint).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['ui/dist/', 'ui/src/generated/', 'target/', 'node_modules/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    rules: {
      // Unused arguments named with a leading underscore are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A string with an escape (a line break in a placeholder) needs its mustache.
      'svelte/no-useless-mustaches': ['error', { ignoreStringEscape: true }],
      // Maps built and returned by a getter are read, never kept and changed: they need no
      // reactivity of their own (the state they are built from has it).
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
);
