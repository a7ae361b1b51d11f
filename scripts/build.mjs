// Builds every bundle with esbuild: the extension host, the training process, the CLI
// (Node, CommonJS) and one browser bundle per webview. `--watch` rebuilds on change;
// `--production` minifies and drops source maps (used by `npm run package`).
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Native or runtime-resolved packages that must stay outside the bundles. */
const nodeExternal = ['vscode', 'webgpu'];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { NN_VERSION: JSON.stringify(pkg.version) },
};

/** Every bundle the product ships. */
const targets = [
  { entryPoints: { extension: 'src/extension.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', external: nodeExternal },
  { entryPoints: { cli: 'src/cli.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', external: nodeExternal, banner: { js: '#!/usr/bin/env node' } },
];

// Bundles that exist only once their feature lands are declared here, next to the others.
import { existsSync } from 'node:fs';
const optional = [
  { file: 'src/trainer/main.ts', t: { entryPoints: { trainer: 'src/trainer/main.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', external: nodeExternal } },
  { file: 'webview/editor/main.ts', t: { entryPoints: { editor: 'webview/editor/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist/webview', loader: { '.css': 'text' } } },
  { file: 'webview/editor/layoutWorker.ts', t: { entryPoints: { layoutWorker: 'webview/editor/layoutWorker.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist/webview' } },
  { file: 'webview/panel/main.ts', t: { entryPoints: { panel: 'webview/panel/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist/webview', loader: { '.css': 'text' } } },
  { file: 'webview/summary/main.ts', t: { entryPoints: { summary: 'webview/summary/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist/webview', loader: { '.css': 'text' } } },
];
for (const o of optional) if (existsSync(o.file)) targets.push(o.t);
// jsonc-parser's "main" is a UMD build whose dynamic require('./impl/…') esbuild cannot follow
// (the bundle then fails at run time); its ESM "module" build bundles cleanly.
for (const t of targets) if (t.platform === 'node') t.mainFields = ['module', 'main'];

// The editor webview's icon font, copied beside its bundle (its localResourceRoots are dist/webview and media only).
import { copyFileSync, mkdirSync } from 'node:fs';
if (existsSync('webview/editor/main.ts')) {
  mkdirSync('dist/webview/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/codicons/${f}`);
}

const contexts = await Promise.all(targets.map((t) => esbuild.context({ ...common, ...t })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${contexts.length} bundles…`);
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
  console.log(`built ${contexts.length} bundles into dist/`);
}
