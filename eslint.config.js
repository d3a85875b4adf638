import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // @oclif/core's index checks the Node version with semver (47 modules) at load: import the
    // sub-path modules instead, which keeps start-up under 2x a bare `node`.
    files: ['commands/**/*.ts', 'bin/**/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@oclif/core',
              message: "Import '@oclif/core/command', '/flags', '/errors'… instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // scripts/bundle.js bundles the CLI with esbuild, which gives a dynamically imported
    // CommonJS package only a default export: import packages statically (lazy-load our own
    // modules instead). @inquirer/prompts is ESM, and only prompts load it.
    files: ['src/**/*.ts', 'commands/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ImportExpression > Literal.source[value=/^(?!\\.|node:|@inquirer\\/prompts$)/]',
          message:
            'Import packages statically: a bundled CommonJS package has no named exports when imported dynamically.',
        },
      ],
    },
  },
  {
    // The library never talks to the user: the CLI layer injects prompts, colour and output.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@oclif/*'], message: 'src/ is the library: no oclif.' },
            {
              group: ['inquirer', '@inquirer/*'],
              message: 'src/ never prompts: inject a prompter.',
            },
            { group: ['chalk'], message: 'src/ renders without colour: pass colour functions in.' },
            { group: ['**/commands/**'], message: 'src/ must not import commands/.' },
          ],
        },
      ],
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Throw a TlskitError instead.' },
      ],
    },
  },
);
