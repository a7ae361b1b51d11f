// Compiles the integration suite (mocha inside the VS Code extension host) to
// out/test/integration/: one CommonJS bundle per entry (index.js and every *.test.js), with
// `vscode` and `mocha` left to the extension host and node_modules. The extension itself is
// not built here: the suite runs against the packaged .vsix.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const src = 'test/integration';
const outdir = 'out/test/integration';
// The suite, and the Restricted Mode suite in restricted/ (run in a second, untrusted window).
const isEntry = (f) => f === 'index.ts' || f.endsWith('.test.ts');
const entries = [
  ...readdirSync(src).filter(isEntry),
  ...readdirSync(join(src, 'restricted')).filter(isEntry).map((f) => join('restricted', f)),
];

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries.map((f) => join(src, f)),
  outdir,
  outbase: src,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  // jsonc-parser's UMD "main" build hides its requires from esbuild (as in scripts/build.mjs).
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
console.log(`built ${entries.length} integration entries into ${outdir}/`);
