// ESLint flat config. Layering rules (STYLE.md rule 2): the folder decides what may be imported.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Folders and the imports they must not use; test/unit/lint-layers.test.ts checks coverage. */
export const LAYERS = {
  'src/shared/**': {
    patterns: [
      {
        group: ['node:*', 'electron', 'electron/*', 'react', 'react-dom'],
        message: 'src/shared is pure: zod and src/shared only.',
      },
      {
        group: ['**/main/**', '**/renderer/**', '../main/*', '../renderer/*'],
        message: 'src/shared must not depend on main or renderer.',
      },
    ],
  },
  'src/main/engine/**': {
    patterns: [
      {
        group: ['electron', 'electron/*'],
        message: 'The engine is pure Node: it never imports electron.',
      },
      {
        group: ['**/renderer/**', '**/electron/**', '**/preload/**', '**/web/**', '**/cli/**'],
        message: 'The engine must not depend on its adapters.',
      },
    ],
  },
  'src/main/cli/**': {
    patterns: [{ group: ['electron', 'electron/*'], message: 'The CLI runs under plain Node.' }],
  },
  'src/main/web/**': {
    patterns: [{ group: ['electron', 'electron/*'], message: 'The bridge runs under plain Node.' }],
  },
  'src/renderer/**': {
    patterns: [
      {
        group: ['node:*', 'electron', 'electron/*'],
        message: 'The renderer has no Node or Electron access.',
      },
      {
        group: ['**/main/**'],
        message: 'The renderer talks to main only through the typed client.',
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'out',
      'dist',
      'native',
      'bench/out',
      'test-results',
      'coverage',
      '.scratch',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // SQL text is assembled only from literals and sqlId(...) (identifiers); values are bound.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(exec|prepare)$/] > TemplateLiteral > :not(TemplateElement, CallExpression[callee.name='sqlId'], Identifier[name=/(Sql|SQL|sql|placeholders|SELECT|select|where|order)$/])",
          message:
            'Interpolate only sqlId(...) or named SQL fragments into SQL text; bind values as parameters.',
        },
      ],
    },
  },
  ...Object.entries(LAYERS).map(([glob, rule]) => ({
    files: [glob],
    rules: { 'no-restricted-imports': ['error', rule] },
  })),
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
);
