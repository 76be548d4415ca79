import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['dist/**', 'node_modules/**'] }, js.configs.recommended, ...tseslint.configs.recommended, {
  // the explorer's page runs in a browser (src/serve/ui/, plain JS, no build step)
  files: ['src/serve/ui/**/*.js'],
  languageOptions: {
    sourceType: 'module',
    globals: { document: 'readonly', window: 'readonly', location: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', Node: 'readonly', setTimeout: 'readonly' },
  },
});
