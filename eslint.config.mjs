// Lint rules, chiefly the import boundaries of DESIGN.md: the model and engine stay free of
// vscode, the DOM and (for the model) Node I/O; webviews never import vscode or Node.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'net', 'http', 'https', 'crypto', 'url', 'util', 'stream', 'zlib', 'readline']
  .flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

const noVscode = { name: 'vscode', message: 'Only src/extension/ may import vscode (DESIGN.md).' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'media/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nodeBuiltins.map((name) => ({ name, message: 'src/model/ is pure: no Node I/O (DESIGN.md).' }))],
        patterns: [{ group: ['**/engine/**', '**/extension/**', '**/trainer/**', '**/cli/**', '**/webview/**'], message: 'src/model/ imports nothing of the other layers (DESIGN.md).' }],
      }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: ['**/extension/**', '**/trainer/**', '**/cli/**', '**/webview/**'], message: 'src/engine/ may import only src/model/ types (DESIGN.md).' }],
      }],
    },
  },
  {
    files: ['src/export/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nodeBuiltins.map((name) => ({ name, message: 'src/export/ is pure: it returns file contents and the caller writes them.' }))],
        patterns: [{ group: ['**/extension/**', '**/trainer/**', '**/cli/**', '**/webview/**'], message: 'src/export/ builds on the model and the engine only.' }],
      }],
    },
  },
  {
    files: ['src/trainer/**/*.ts', 'src/cli/**/*.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'The trainer and CLI run without VS Code (DESIGN.md).' }],
      }],
    },
  },
  {
    files: ['src/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: ['**/engine/**', '**/extension/**', '**/trainer/**', '**/cli/**', '**/webview/**'], message: 'The protocol depends on model types only (DESIGN.md).' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nodeBuiltins.map((name) => ({ name, message: 'Webviews run in a browser: no Node modules (DESIGN.md).' }))],
        patterns: [{ group: ['**/src/engine/**', '**/src/extension/**', '**/src/trainer/**', '**/src/cli/**'], message: 'Webviews import the protocol and model only (DESIGN.md).' }],
      }],
    },
  },
);
