import tseslint from 'typescript-eslint';

// The provider packages' root entry points load every resource class (+1.5 s, +470 MiB per
// process), so only deep imports such as '@cdktf/provider-aws/lib/lb' are allowed.
const providerRoots = ['@cdktf/provider-aws', '@cdktf/provider-kubernetes'].map((name) => ({
  name,
  message: `import from '${name}/lib/<resource>' instead of the package root`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'cdktf.out/**', 'review/**', '.cache/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: providerRoots }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // cdktf core is reached only through lib/private/cdktf.ts so a switch to the CDK Terrain fork
    // stays a one-file change.
    files: ['lib/**/*.ts'],
    ignores: ['lib/private/cdktf.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...providerRoots, { name: 'cdktf', message: "import cdktf core through lib/private/cdktf.ts" }],
      }],
    },
  },
);
