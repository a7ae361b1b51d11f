/**
 * No import circles in src/ or webview/: a module that imports itself through others is loaded
 * half-initialised, and it ties parts together that should be able to change alone. Type-only
 * imports count too (they are the same coupling). A small regex import graph, no bundler needed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports and re-exports of each file, resolved to files of `files`. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  const specifier = /(?:^|[\s;])(?:import|export)\s[^'";]*?\sfrom\s*['"](\.[^'"]*)['"]|(?:^|[\s;])import\s*['"](\.[^'"]*)['"]|\bimport\s*\(\s*['"](\.[^'"]*)['"]\s*\)/g;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const deps = new Set<string>();
    for (const m of text.matchAll(specifier)) {
      const base = path.resolve(path.dirname(file), m[1] ?? m[2] ?? m[3]);
      const target = [base, `${base}.ts`, path.join(base, 'index.ts')].find((c) => known.has(c));
      if (target) deps.add(target);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** Each circle found by a depth-first walk, as a path that ends where it starts. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

function circlesUnder(...dirs: string[]): string[] {
  const files = dirs.flatMap((d) => sourceFiles(path.join(root, d)));
  return circles(importGraph(files)).map((c) => c.map((f) => path.relative(root, f)).join(' → '));
}

describe('import circles', () => {
  it('the checker finds a circle, including one through a type-only import and an index.ts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nc-circles-'));
    try {
      fs.mkdirSync(path.join(dir, 'lib'));
      fs.writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport const a = 1;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "// import { x } from './nothing';\nimport { c } from './lib';\nexport type B = typeof c;\n");
      fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), "export { a as c } from '../a';\n");
      fs.writeFileSync(path.join(dir, 'd.ts'), "import { a } from './a';\nexport const d = a;\n");
      const files = sourceFiles(dir);
      const found = circles(importGraph(files)).map((c) => c.map((f) => path.relative(dir, f)));
      assert.deepEqual(found, [['a.ts', 'b.ts', path.join('lib', 'index.ts'), 'a.ts']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('webview/ has none', () => {
    assert.deepEqual(circlesUnder('webview'), []);
  });

  it('src/ has none', () => {
    assert.deepEqual(circlesUnder('src'), []);
  });
});
