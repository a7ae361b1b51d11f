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

describe('quick fixes: a kernel or pool larger than its input', () => {
  const big = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "shape": [4, 6, 1] },
    { "id": "conv", "type": "conv2d", "filters": 2, "kernelSize": 5 },
    { "id": "flat", "type": "flatten" },
    { "id": "out", "type": "dense", "units": 1, "activation": "sigmoid" }
  ],
  "edges": [
    { "from": "x", "to": "conv" },
    { "from": "conv", "to": "flat" },
    { "from": "flat", "to": "out" }
  ]
}
`;

  it('pads with "same" (preferred) or shrinks the kernel to the input, and the error goes', () => {
    const d = checkNetwork(big).diagnostics.find((x) => x.code === 'window-too-large');
    assert.ok(d);
    assert.deepEqual(quickFixesFor(big, d).map((f) => [f.title, f.preferred ?? false]), [
      ['Pad the border ("same") so the window fits', true], ['Shrink the window to fit its input', false],
    ]);
    const padded = applyFix(big, 'window-too-large', /same/);
    assert.equal(padded, big.replace('"kernelSize": 5 }', '"kernelSize": 5, "padding": "same" }'));
    assert.deepEqual(checkNetwork(padded).analysis?.shapes.get('conv'), [4, 6, 2]);
    const shrunk = applyFix(big, 'window-too-large', /Shrink/);
    assert.equal(shrunk, big.replace('"kernelSize": 5', '"kernelSize": [4, 5]'));
    assert.deepEqual(checkNetwork(shrunk).analysis?.shapes.get('conv'), [1, 2, 2]);
  });

  it('is not offered when it would bring out more errors further on than it removes', () => {
    // A shrunk kernel leaves a 1×2 image: too small for the next 3×3 conv, and 'out' would get an image.
    const branches = big
      .replace('    { "id": "flat", "type": "flatten" },\n', '    { "id": "conv2", "type": "conv2d", "filters": 1, "kernelSize": 3 },\n')
      .replace('{ "from": "conv", "to": "flat" },\n    { "from": "flat", "to": "out" }', '{ "from": "conv", "to": "conv2" },\n    { "from": "conv", "to": "out" }');
    const d = checkNetwork(branches).diagnostics.find((x) => x.code === 'window-too-large' && x.nodeId === 'conv');
    assert.ok(d);
    assert.deepEqual(quickFixesFor(branches, d).map((f) => f.title), ['Pad the border ("same") so the window fits']);
  });
});
