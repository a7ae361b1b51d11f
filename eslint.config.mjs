// Lint rules, chiefly the import fences between the layers described in docs/architecture.md:
// who may import whom, and that outside src/engine/ only the engine's entry points are imported.
// test/unit/lint/fences.test.ts proves that each fence fires.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'net', 'http', 'https', 'crypto', 'url', 'util', 'stream', 'zlib', 'readline']
  .flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

const see = 'See docs/architecture.md, "Who imports whom".';
const noVscode = { name: 'vscode', message: `Only src/extension/ and src/extension.ts may import vscode. ${see}` };
const noNode = (who) => nodeBuiltins.map((name) => ({ name, message: `${who} No Node modules here. ${see}` }));

/** A relative import that reaches one of the given top-level folders of src/ (the folder itself or a file in it). */
const reaches = (layers) => `^\\.{1,2}/(.*/)?(${layers.join('|')})(/|$)`;

/** Outside src/engine/, the engine is imported only through its entry points. */
const engineEntryPoints = {
  regex: '^\\.{1,2}/(.*/)?engine/(?!(data|weights)$)',
  message: `Import the engine through its entry points only: '…/engine', '…/engine/data' or '…/engine/weights'. If you need something that is not exported there, export it from the entry point. ${see}`,
};

/** One layer's fence: forbidden modules, forbidden layers (with the reason), and whether the engine's insides are off limits. */
function fence(files, { paths = [noVscode], layers, why, engineInsides = true }) {
  const patterns = [{ regex: reaches(layers), message: `${why} ${see}` }];
  if (engineInsides) patterns.push(engineEntryPoints);
  return { files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'media/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  fence(['src/model/**/*.ts'], {
    paths: [noVscode, ...noNode('src/model/ is pure: no I/O, so the CLI, the host, the engine and the webviews can all use it.')],
    layers: ['engine', 'export', 'jobs', 'trainer', 'cli', 'extension', 'webview', 'protocol'],
    why: 'src/model/ is the bottom layer and imports no other part of the program.',
    engineInsides: false,
  }),
  fence(['src/engine/**/*.ts'], {
    layers: ['export', 'jobs', 'trainer', 'cli', 'extension', 'webview', 'protocol'],
    why: 'src/engine/ may import only src/model/.',
    engineInsides: false,
  }),
  fence(['src/export/**/*.ts'], {
    paths: [noVscode, ...noNode('src/export/ is pure: it returns file contents and the caller writes them.')],
    layers: ['jobs', 'trainer', 'cli', 'extension', 'webview', 'protocol'],
    why: 'src/export/ builds on the model and the engine only.',
  }),
  fence(['src/protocol/**/*.ts'], {
    paths: [noVscode, ...noNode('The protocol is imported by the webviews too, which run in a browser.')],
    layers: ['engine', 'export', 'jobs', 'trainer', 'cli', 'extension', 'webview'],
    why: 'The protocol depends on the model only (every side of a message imports it, the browser included).',
  }),
  fence(['src/jobs/**/*.ts'], {
    layers: ['trainer', 'cli', 'extension', 'webview'],
    why: 'src/jobs/ is called by both front doors (the CLI and the training process) and imports neither.',
  }),
  fence(['src/trainer/**/*.ts'], {
    layers: ['cli', 'extension', 'webview'],
    why: 'The training process runs without VS Code and is started by the extension, not the other way round.',
  }),
  fence(['src/cli/**/*.ts', 'src/cli.ts'], {
    layers: ['extension', 'webview'],
    why: 'The CLI runs without VS Code.',
  }),
  fence(['src/extension/**/*.ts', 'src/extension.ts'], {
    paths: [],
    layers: ['cli', 'webview'],
    why: 'The extension host starts the training process and loads the webview bundles; it does not import the CLI or webview code.',
  }),
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...noNode('Webviews run in a browser.')],
        patterns: [{
          regex: '^\\.{1,2}/(.*/)?src/(?!(model(/|$)|protocol$))',
          message: `Webviews import only src/model/ and the protocol ('…/src/protocol') from src/ (never the engine, export, jobs, trainer, CLI or extension host). ${see}`,
        }],
      }],
    },
  },
);
