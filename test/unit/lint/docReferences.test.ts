/**
 * No file in the repository cites a document that is not in it: every `*.md` name in a
 * tracked text file (a Markdown link, a comment, a lint message) must exist, resolved against the
 * citing file's folder or the repository root; a bare name may also be any tracked file of that
 * name. Web addresses are not citations of repository files and are skipped.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const skipped = /^(node_modules|dist|out|test-results|\.git)\//;

/** The repository's files: git's list when there is one, else a walk of the tree. */
function repositoryFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }).split('\0').filter((f) => f && !skipped.test(f) && fs.existsSync(path.join(root, f)));
  } catch {
    const walk = (dir: string): string[] => fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (skipped.test(`${rel}/`)) return [];
      return e.isDirectory() ? walk(rel) : [rel];
    });
    return walk('');
  }
}

/** The `.md` names a text cites, with their line numbers (web addresses removed first). */
export function citedDocuments(text: string): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  text.split('\n').forEach((lineText, i) => {
    const withoutUrls = lineText.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)'"`>]*/gi, ' ');
    for (const m of withoutUrls.matchAll(/(?<![\w.\-/])((?:\.{1,2}\/|\/)?[\w.-]+(?:\/[\w.-]+)*\.md)(?![\w])/g)) out.push({ name: m[1], line: i + 1 });
  });
  return out;
}

describe('document references', () => {
  it('finds the names a text cites, and not web addresses', () => {
    // Built from parts so this file does not itself cite a missing document.
    const missing = ['NOT_HERE', 'md'].join('.');
    const text = `See [the format](../../../docs/format.md#training) and ${missing}.\nhttps://example.com/README.md, \`docs/architecture.md\``;
    assert.deepEqual(citedDocuments(text), [{ name: '../../../docs/format.md', line: 1 }, { name: missing, line: 1 }, { name: 'docs/architecture.md', line: 2 }]);
  });

  it('every .md document a repository file cites is in the repository', () => {
    const files = repositoryFiles();
    const tracked = new Set(files);
    const basenames = new Set(files.map((f) => path.posix.basename(f)));
    const missing: string[] = [];
    for (const file of files) {
      const abs = path.join(root, file);
      if (fs.statSync(abs).size > 2 * 2 ** 20) continue;
      const buf = fs.readFileSync(abs);
      if (buf.includes(0)) continue; // binary
      for (const { name, line } of citedDocuments(buf.toString('utf8'))) {
        if (name.startsWith('node_modules/')) continue; // a packaging pattern (.vscodeignore), not a citation
        const candidates = [path.posix.normalize(path.posix.join(path.posix.dirname(file), name)), path.posix.normalize(name.replace(/^\//, ''))];
        const found = candidates.some((c) => tracked.has(c) || fs.existsSync(path.join(root, c))) || (!name.includes('/') && basenames.has(name));
        if (!found) missing.push(`${file}:${line} cites ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
