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
