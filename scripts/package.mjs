// Builds a platform-specific .vsix: a clean production build, then `vsce package --target <t>`
// with an ignore file that lets in only that platform's webgpu binary. Works offline.
//
//   node scripts/package.mjs [--target linux-x64|linux-arm64|win32-x64|win32-arm64|darwin-x64|darwin-arm64|all] [--out dir]
//
// Prints the path and size of each .vsix and checks its contents (no sources, maps or other
// platforms' binaries; the bundles and the native webgpu module present).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** vsce target → folder of node_modules/webgpu/dist holding that platform's dawn.node. */
const webgpuDirFor = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
};

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const targetArg = argValue('--target', 'linux-x64');
const outDir = resolve(root, argValue('--out', '.'));
const targets = targetArg === 'all' ? Object.keys(webgpuDirFor) : [targetArg];
for (const t of targets) {
  if (!webgpuDirFor[t]) {
    console.error(`package: unknown --target '${t}'; use one of ${Object.keys(webgpuDirFor).join(', ')} or all`);
    process.exit(2);
  }
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  } catch {
    // The tool already printed why; a stack trace of this script would only bury it.
    console.error(`package: \`${[cmd, ...args].join(' ')}\` failed (see above)`);
    process.exit(1);
  }
};

// A clean dist/: a development build leaves .map files that `!dist/**` would otherwise ship.
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, ['scripts/build.mjs', '--production']);

mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'nn-package-'));
try {
  const baseIgnore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  for (const target of targets) {
    const ignoreFile = join(work, `vscodeignore-${target}`);
    writeFileSync(ignoreFile, `${baseIgnore}\n!node_modules/webgpu/dist/${webgpuDirFor[target]}/**\n`);
    const vsix = join(outDir, `${pkg.name}-${target}-${pkg.version}.vsix`);
    // --dependencies makes vsce list the production dependencies with `npm list` (offline) so
    // node_modules/webgpu can be let in; the ignore file keeps every other package out (they
    // are bundled by esbuild).
    run(process.execPath, [
      join(root, 'node_modules/@vscode/vsce/vsce'), 'package',
      '--target', target, '--ignoreFile', ignoreFile, '--out', vsix,
      // README images ship in the package (docs/images), so relative links resolve in VS Code's
      // extension page; there is no public repository URL to rewrite them to.
      '--no-rewrite-relative-links',
    ]);
    checkContents(vsix, target);
    const mb = (statSync(vsix).size / 1024 / 1024).toFixed(1);
    console.log(`package: ${vsix} (${mb} MB, ${target})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Fails loudly when the .vsix holds what it must not, or lacks what the extension needs. */
function checkContents(vsix, target) {
  const entries = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const files = entries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
  const problems = [];
  // A developer's own results beside the examples (after `npm run demo`) are theirs, not the package's.
  const forbidden = [/^src\//, /^test\//, /^webview\//, /^bench\//, /^scripts\//, /\.map$/, /\.ts$/, /^out\//, /\.safetensors$/, /\.runs\.jsonl$/];
  for (const f of files) {
    if (forbidden.some((re) => re.test(f) && !f.endsWith('.d.ts'))) problems.push(`should not ship ${f}`);
    if (f.startsWith('node_modules/') && !f.startsWith('node_modules/webgpu/')) problems.push(`should not ship ${f} (bundled by esbuild)`);
    const m = /^node_modules\/webgpu\/dist\/([^/]+)\//.exec(f);
    if (m && m[1] !== webgpuDirFor[target]) problems.push(`ships another platform's binary: ${f}`);
  }
  for (const need of ['package.json', 'dist/extension.js', 'dist/cli.js', 'node_modules/webgpu/index.js', 'node_modules/webgpu/package.json', `node_modules/webgpu/dist/${webgpuDirFor[target]}/dawn.node`]) {
    if (!files.includes(need)) problems.push(`missing ${need}`);
  }
  if (problems.length) {
    console.error(`package: ${vsix} is wrong:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}
