import * as assert from 'node:assert/strict';
import { quickFixesFor } from '../../../src/extension/quickFixes';
import { checkNetwork } from '../../../src/model';

const softmaxBce = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 4 },
    { "id": "out", "type": "dense", "units": 3, "activation": "softmax" }
  ],
  "edges": [{ "from": "x", "to": "out" }],
  "training": { "loss": "binary_crossentropy" }
}
`;

function applyFix(text: string, code: string, title: RegExp): string {
  const d = checkNetwork(text).diagnostics.find((x) => x.code === code);
  assert.ok(d, `expected a ${code} diagnostic`);
  const fix = quickFixesFor(text, d).find((f) => title.test(f.title));
  assert.ok(fix, `expected a fix matching ${title}`);
  const r = fix.replacement;
  return text.slice(0, r.offset) + r.content + text.slice(r.offset + r.length);
}

describe('quick fixes', () => {
  it('softmax output with binary cross-entropy → categorical cross-entropy (preferred), and the warning goes', () => {
    const d = checkNetwork(softmaxBce).diagnostics.find((x) => x.code === 'softmax-binary-crossentropy');
    assert.ok(d);
    const fixes = quickFixesFor(softmaxBce, d);
    assert.equal(fixes.find((f) => f.preferred)?.title, 'Use categorical cross-entropy (several classes)');
    const fixed = applyFix(softmaxBce, 'softmax-binary-crossentropy', /categorical/);
    assert.equal(fixed, softmaxBce.replace('"binary_crossentropy"', '"categorical_crossentropy"'));
    assert.ok(!checkNetwork(fixed).diagnostics.some((x) => x.code === 'softmax-binary-crossentropy'));
  });

  it('offers a sigmoid output as the other fix', () => {
    const fixed = applyFix(softmaxBce, 'softmax-binary-crossentropy', /sigmoid/);
    assert.equal(fixed, softmaxBce.replace('"activation": "softmax"', '"activation": "sigmoid"'));
  });

  it('sigmoid + mse → binary cross-entropy', () => {
    const text = softmaxBce.replace('"units": 3, "activation": "softmax"', '"units": 1, "activation": "sigmoid"').replace('binary_crossentropy', 'mse');
    const fixed = applyFix(text, 'sigmoid-mse', /binary cross-entropy/);
    assert.ok(fixed.includes('"loss": "binary_crossentropy"'));
  });

  it('offers nothing for codes without fixes or for nodes that no longer exist', () => {
    assert.deepEqual(quickFixesFor(softmaxBce, { code: 'cycle' }), []);
    assert.deepEqual(quickFixesFor(softmaxBce, { code: 'step-hidden', nodeId: 'gone' }), []);
  });
});

describe('quick fix: Insert Flatten', () => {
  const convDense = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "shape": [8, 8, 1] },
    { "id": "conv", "type": "conv2d", "filters": 4, "kernelSize": 3, "activation": "relu" },
    { "id": "out", "type": "dense", "units": 10, "activation": "softmax" }
  ],
  "edges": [
    { "from": "x", "to": "conv" },
    { "from": "conv", "to": "out" }
  ]
}
`;

  it('a dense layer fed an image gets a flatten node and edges, as one small edit, and the error goes', () => {
    const d = checkNetwork(convDense).diagnostics.find((x) => x.code === 'dense-needs-flatten');
    assert.ok(d);
    const fixes = quickFixesFor(convDense, d);
    assert.deepEqual(fixes.map((f) => [f.title, f.preferred]), [['Insert Flatten', true]]);
    const fixed = applyFix(convDense, 'dense-needs-flatten', /Insert Flatten/);
    assert.equal(fixed, convDense
      .replace('"activation": "relu" },\n', '"activation": "relu" },\n    { "id": "flatten", "type": "flatten" },\n')
      .replace('{ "from": "conv", "to": "out" }', '{ "from": "conv", "to": "flatten" },\n    { "from": "flatten", "to": "out" }'));
    const after = checkNetwork(fixed);
    assert.deepEqual(after.diagnostics, []);
    assert.deepEqual(after.analysis?.shapes.get('flatten'), [144]);
    assert.equal(after.analysis?.params.get('out')?.count, 144 * 10 + 10);
    // The replacement starts at the new node and ends at the new edge: nothing before or after moves.
    const r = fixes[0].replacement;
    assert.equal(convDense.slice(0, r.offset), fixed.slice(0, r.offset));
    assert.equal(convDense.slice(r.offset + r.length), fixed.slice(fixed.length - (convDense.length - r.offset - r.length)));
  });

  it('picks an unused id and keeps the dense layer\'s place among the edges', () => {
    const taken = convDense.replace('"id": "conv"', '"id": "flatten"').replaceAll('"conv"', '"flatten"');
    const fixed = applyFix(taken, 'dense-needs-flatten', /Insert Flatten/);
    assert.ok(fixed.includes('{ "id": "flatten2", "type": "flatten" }'));
    assert.deepEqual(checkNetwork(fixed).parsed.doc?.edges, [
      { from: 'x', to: 'flatten' }, { from: 'flatten', to: 'flatten2' }, { from: 'flatten2', to: 'out' },
    ]);
  });
});
