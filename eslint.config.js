// Lint enforces the dependency direction between libraries:
//   apps -> libs; projections -> event-store, domain; event-store -> nothing of ours; domain -> nothing.
import tseslint from 'typescript-eslint';

const frameworks = ['@nestjs/*', '@eventstore/*', '@kurrent/*', 'better-sqlite3', 'fastify', '@fastify/*', 'pino*', 'rxjs'];
const nodeIo = ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process'];
const ours = (...names) => names.map((n) => `#${n}`).concat(names.map((n) => `#${n}/*`));
const outsideLib = ['../../../*', '../../../../*', '../../../../../*'];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'coverage/**', 'data/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      ...restrict(
        [...frameworks, ...nodeIo, ...ours('event-store', 'projections', 'domain'), ...outsideLib, 'apps/*', 'uuid'],
        'libs/domain is pure: no frameworks, storage, I/O, clock or randomness, and nothing of ours.',
      ),
      'no-restricted-globals': ['error', { name: 'Date', message: 'Time comes in with the command.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Ids come in with the command.' },
        { object: 'Date', property: 'now', message: 'Time comes in with the command.' },
        { object: 'crypto', property: 'randomUUID', message: 'Ids come in with the command.' },
      ],
    },
  },
  {
    files: ['libs/event-store/src/**/*.ts'],
    ignores: ['libs/event-store/src/**/*.spec.ts'],
    rules: {
      ...restrict(
        [...ours('projections', 'domain'), ...outsideLib, '@nestjs/*'],
        'libs/event-store depends on nothing of ours and no web framework.',
      ),
    },
  },
  {
    files: ['libs/projections/src/**/*.ts'],
    rules: {
      ...restrict([...outsideLib, 'apps/*'], 'libs/projections may use #event-store and #domain only.'),
    },
  },
);
