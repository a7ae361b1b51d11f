/**
 * DocumentChecks: the Problems panel, the graph and the status bar share one check per document
 * version, and a file above the size limit is never parsed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentChecks, FILE_TOO_LARGE, maxFileBytes, type CheckableDocument } from '../../../src/extension/documentChecks';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';

const root = path.resolve(__dirname, '../../..');
const interview = fs.readFileSync(path.join(root, 'examples/interview.nn'), 'utf8');

/** A document whose text reads are counted. */
function doc(text: string, version = 1, key = 'file:///ws/a.nn'): CheckableDocument & { reads: number } {
  const d = { key, version, fileName: 'a.nn', reads: 0, getText: () => { d.reads++; return text; } };
  return d;
}

describe('DocumentChecks (one check per document version)', () => {
  it('checks a version once, whoever asks (diagnostics, graph, status bar), and again only for a new version', () => {
    let parses = 0;
    const checks = new DocumentChecks(() => maxFileBytes(10), (text, version, name) => { parses++; return documentSnapshot(text, version, name); });
    const v1 = doc(interview, 1);
    const forDiagnostics = checks.get(v1);
    const forGraph = checks.get(v1);
    const forStatus = checks.get(v1);
    assert.equal(parses, 1, 'one parse for three consumers');
    assert.equal(v1.reads, 1, 'the text is read once');
    assert.equal(forDiagnostics, forGraph);
    assert.equal(forGraph, forStatus);
    assert.equal(forStatus.analysis?.totalParams, 13);
    const v2 = doc(interview.replace('"units": 3', '"units": 4'), 2);
    const next = checks.get(v2);
    checks.get(v2);
    assert.equal(parses, 2);
    assert.equal(next.snapshot.version, 2);
    assert.notEqual(next.analysis?.totalParams, 13);
    // Another document has its own entry; forgetting one drops only it.
    checks.get(doc(interview, 1, 'file:///ws/b.nn'));
    assert.equal(parses, 3);
    checks.forget('file:///ws/b.nn');
    checks.get(v2);
    assert.equal(parses, 3);
    assert.equal(checks.computed, 3);
  });

  it('does not parse a file above the limit: one warning naming the file, the limit and the setting, and no graph', () => {
    let parses = 0;
    let limitMb = 1;
    const checks = new DocumentChecks(() => maxFileBytes(limitMb), (text, version, name) => { parses++; return documentSnapshot(text, version, name); });
    const big = doc(interview + ' '.repeat(2 * 1024 * 1024), 7);
    const c = checks.get(big);
    assert.equal(parses, 0, 'never parsed');
    assert.equal(c.tooLarge, true);
    assert.equal(c.snapshot.doc, undefined, 'the graph shows its message instead of a network');
    assert.equal(c.snapshot.version, 7);
    assert.equal(c.snapshot.diagnostics.length, 1, 'said once');
    const [d] = c.snapshot.diagnostics;
    assert.equal(d.code, FILE_TOO_LARGE);
    assert.match(d.message, /^a\.nn is 2\.0 MB, above the 1\.0 MB limit, .* Raise the setting "neuralCanvas\.maxFileSizeMB" to open it\.$/);
    assert.equal(c.analysis, undefined);
    // Raising the setting re-checks the same version.
    limitMb = 3;
    const again = checks.get(big);
    assert.equal(parses, 1);
    assert.equal(again.tooLarge, false);
    assert.ok(again.snapshot.doc);
  });

  it('counts UTF-8 bytes, not characters, against the limit', () => {
    const limit = 1024;
    const checks = new DocumentChecks(() => limit, () => { throw new Error('must not parse'); });
    // 400 characters of 3 bytes each: 1200 bytes, above a 1024-byte limit although only 400 characters long.
    assert.equal(checks.get(doc('€'.repeat(400))).tooLarge, true);
    assert.equal(maxFileBytes(undefined), 10 * 1024 * 1024, 'the default is 10 MB');
    assert.equal(maxFileBytes(-5), 10 * 1024 * 1024, 'a nonsense setting falls back to the default');
  });
});
