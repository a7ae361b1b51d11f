import { strict as assert } from 'assert';
import { checkNetwork, formatDiagnostic, parseNetwork } from '../../../src/model';
import { codes, covered, netText } from './helpers';

describe('model/parseNetwork', () => {
  it('types a valid document and records node ranges', () => {
    const text = netText();
    const p = parseNetwork(text);
    assert.deepEqual(p.diagnostics, []);
    assert.ok(p.doc);
    assert.deepEqual(p.doc.nodes.map((n) => n.id), ['x', 'h', 'y']);
    assert.deepEqual(p.doc.edges, [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }]);
    const r = p.nodeRanges.get('h');
    assert.ok(r);
    assert.equal(JSON.parse(text.slice(r.offset, r.offset + r.length)).id, 'h');
  });

  it('reports a truncated file as a syntax error with line:col and no doc', () => {
    const text = netText().slice(0, 60);
    const c = checkNetwork(text);
    assert.equal(c.parsed.doc, undefined);
    assert.ok(c.diagnostics.length > 0);
    assert.ok(c.diagnostics.every((d) => d.severity === 'error' && d.code === 'syntax'));
    assert.match(formatDiagnostic('t.nn', c.diagnostics[0]), /^t\.nn:\d+:\d+: error: JSON syntax: .+ \[syntax\]$/);
  });

  it('rejects an unknown format version clearly', () => {
    const text = netText().replace('nn/1', 'nn/7');
    const p = parseNetwork(text);
    assert.equal(p.doc, undefined);
    assert.deepEqual(codes(p.diagnostics), ['format-version']);
    assert.equal(covered(text, p.diagnostics[0]), '"nn/7"');
    assert.match(p.diagnostics[0].message, /reads "nn\/1"/);
  });

  it('reports a missing format', () => {
    const p = parseNetwork('{ "nodes": [] }');
    assert.deepEqual(codes(p.diagnostics), ['format-missing']);
  });

  it('warns about unknown fields but keeps the node', () => {
    const text = netText({ colour: 'red' }, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 3, activaton: 'relu' },
    ], [{ from: 'x', to: 'h' }]);
    const p = parseNetwork(text);
    assert.deepEqual(codes(p.diagnostics).sort(), ['unknown-field', 'unknown-field']);
    assert.ok(p.diagnostics.every((d) => d.severity === 'warning'));
    const typo = p.diagnostics.find((d) => d.nodeId === 'h');
    assert.ok(typo);
    assert.equal(covered(text, typo), '"activaton"');
    assert.match(typo.message, /did you mean 'activation'/);
    assert.equal(p.doc?.nodes.length, 2);
  });

  it('reports NaN written as a string at the value, and drops only that field', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 1, weights: [[0.5, 'NaN']] },
    ], [{ from: 'x', to: 'h' }]);
    const p = parseNetwork(text);
    assert.deepEqual(codes(p.diagnostics), ['wrong-type']);
    assert.equal(covered(text, p.diagnostics[0]), '"NaN"');
    assert.match(p.diagnostics[0].message, /weights\[0\]\[1\] must be a number, not the text "NaN" \(write numbers without quotes\)/);
    const h = p.doc?.nodes.find((n) => n.id === 'h');
    assert.ok(h && h.type === 'dense' && h.weights === undefined);
  });

  it('reports numbers too large for a double', () => {
    const text = netText().replace('"units": 3', '"units": 1e999');
    const p = parseNetwork(text);
    assert.deepEqual(codes(p.diagnostics), ['not-finite']);
    assert.equal(covered(text, p.diagnostics[0]), '1e999');
  });

  it('leaves out a node too broken to type, remembering its id so edges do not double-report', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 2.5 },
      { id: 'y', type: 'dense', units: 1 },
    ]);
    const c = checkNetwork(text);
    assert.deepEqual(c.parsed.doc?.nodes.map((n) => n.id), ['x', 'y']);
    assert.ok(c.parsed.brokenIds.has('h'));
    const errs = c.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(codes(errs), ['out-of-range']);
    assert.match(errs[0].message, /dense 'h': units must be a whole number ≥ 1, not 2\.5/);
  });

  it('names an unknown activation with a suggestion', () => {
    const text = netText().replace('"relu"', '"rleu"');
    const p = parseNetwork(text);
    assert.deepEqual(codes(p.diagnostics), ['unknown-activation']);
    assert.match(p.diagnostics[0].message, /unknown activation 'rleu'; did you mean 'relu'\?/);
  });

  it('checks training values and names', () => {
    const text = netText({
      training: {
        loss: 'hinge', optimizer: { type: 'adam', learningRate: -1 }, batchSize: 0, validationSplit: 1,
        data: { generator: 'xor', csv: 'a.csv' },
      },
    });
    const p = parseNetwork(text);
    assert.deepEqual(codes(p.diagnostics).sort(), ['data-kind', 'out-of-range', 'out-of-range', 'out-of-range', 'unknown-loss']);
    assert.ok(p.diagnostics.some((d) => /training\.optimizer: learningRate must be a number > 0/.test(d.message)));
    assert.ok(p.diagnostics.some((d) => /training: validationSplit must be a number ≥ 0 and < 1, not 1/.test(d.message)));
  });

  it('rejects junk nested deeper than any nn/1 file without recursing', () => {
    const text = '['.repeat(100000);
    const p = parseNetwork(text);
    assert.deepEqual(codes(p.diagnostics), ['too-deep']);
  });

  it('reports a non-object root and empty text', () => {
    assert.deepEqual(codes(parseNetwork('[1, 2]').diagnostics), ['not-an-object']);
    assert.deepEqual(codes(parseNetwork('').diagnostics), ['not-an-object']);
  });

  it('gives 0-based positions that survive CRLF line ends', () => {
    const text = netText().replace(/\n/g, '\r\n').replace('"units": 3', '"units": -3');
    const d = parseNetwork(text).diagnostics[0];
    const lineText = text.split('\r\n')[d.range.start.line];
    assert.equal(lineText.slice(d.range.start.character, d.range.start.character + 2), '-3');
  });
});
