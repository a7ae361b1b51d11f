/**
 * Bugs the consumer fuzzer found, each as its (shrunk) reproducer: the behaviour a user relies
 * on, then the whole consumer drive on the same text.
 */
import { strict as assert } from 'assert';
import { checkNetwork, parseNetwork } from '../../../src/model';
import { applyIntent } from '../../../src/extension/intentEdits';
import { quickFixesFor } from '../../../src/extension/quickFixes';
import type { EditIntent } from '../../../src/protocol';
import { driveCase } from './fuzzConsumers';

function drive(text: string, intents: Record<string, unknown>[] = []): void {
  const failure = driveCase({ text, origin: 'regression', intents, exportSeed: 1 });
  assert.equal(failure, undefined, failure && `${failure.consumer}: ${failure.kind}: ${failure.message}\n${failure.stack ?? ''}`);
}

function errorsAt(text: string): { code: string; at: string; message: string }[] {
  return checkNetwork(text).diagnostics.filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, at: text.slice(d.range.offset, d.range.offset + d.range.length), message: d.message }));
}

describe('fuzz regressions', () => {
  it('a whole number too large to count exactly (units 1e308, batchSize 1e30) is an error at its place, not Infinity parameters in the editor or a refusal at export', () => {
    // Seed 20261130 case 750: units 1e308 gave Infinity parameters, sent to the editor as null,
    // where the view model threw "Cannot read properties of null (reading 'toLocaleString')".
    const units = '{"format":"nn/1","nodes":[{"id":"x","type":"input","units":5},{"id":"h","type":"dense","units":1e308}],"edges":[{"from":"x","to":"h"}]}';
    assert.deepEqual(errorsAt(units).map((e) => [e.code, e.at]), [['out-of-range', '1e308']]);
    assert.match(errorsAt(units)[0].message, /units must be a whole number/);
    drive(units);
    // Case 8841: batchSize 1e30 passed nn check, then export refused it saying "nn check shows where".
    const batch = '{"format":"nn/1","nodes":[{"id":"x","type":"input","units":2},{"id":"y","type":"dense","units":1}],"edges":[{"from":"x","to":"y"}],"training":{"batchSize":1e30}}';
    assert.deepEqual(errorsAt(batch).map((e) => [e.code, e.at]), [['out-of-range', '1e30']]);
    drive(batch);
    // The largest exact whole number still counts.
    assert.deepEqual(errorsAt(batch.replace('1e30', '9007199254740991')), []);
  });

  it('removing a pin or a field written twice removes every copy, so the second does not take the removed one\'s place', () => {
    // Seed 20261130 case 2824: removeNodes left the second copy of a duplicated pin behind.
    const text = '{"format":"nn/1","nodes":[{"id":"x","type":"input","units":1,"label":"a","label":"b"},{"id":"y","type":"dense","units":1}],' +
      '"edges":[{"from":"x","to":"y"}],"layout":{"pinned":{"x":{"x":1,"y":2},"x":{"x":3,"y":4},"y":{"x":5,"y":6}}}}';
    const apply = (intent: Record<string, unknown>): string => applyIntent(text, { requestId: 1, ...intent } as EditIntent);
    const pins = (t: string) => parseNetwork(t).doc?.layout?.pinned;
    assert.equal(Object.hasOwn(pins(apply({ type: 'unpin', ids: ['x'] })) ?? {}, 'x'), false, 'unpin x leaves no pin of x');
    const removed = apply({ type: 'removeNodes', ids: ['x'] });
    assert.equal(removed.includes('"x":{'), false, `no pin of the removed node is left: ${removed}`);
    assert.deepEqual(pins(removed), { y: { x: 5, y: 6 } });
    const unlabelled = parseNetwork(apply({ type: 'setProperty', id: 'x', key: 'label' })).doc?.nodes[0];
    assert.equal(unlabelled?.label, undefined, 'removing the label removes both copies');
    drive(text, [{ type: 'unpin', ids: ['x'], requestId: 1 }, { type: 'removeNodes', ids: ['x'], requestId: 2 }]);
  });

  it('the light bulb fixes loss-output with what the output lacks: one unit → binary cross-entropy (softmax cannot help), else a softmax', () => {
    // Seed 20261130 case 109: "Use a softmax output" was offered for a 1-unit dropout output; it
    // wrote "activation" into the dropout node (an unknown field) and the warning stayed.
    const design = (output: string) => `{"format":"nn/1","nodes":[{"id":"x","type":"input","units":2},${output}],"edges":[{"from":"x","to":"y"}],"training":{"loss":"categorical_crossentropy"}}`;
    const fixesOf = (text: string): string[] => {
      const ds = checkNetwork(text).diagnostics.filter((x) => x.code === 'loss-output');
      assert.ok(ds.length, `loss-output is reported for ${text}`);
      return [...new Set(ds.flatMap((d) => quickFixesFor(text, d).map((f) => f.title)))];
    };
    assert.deepEqual(fixesOf(design('{"id":"y","type":"dense","units":1}')), ['Use binary cross-entropy (one output unit)']);
    assert.deepEqual(fixesOf(design('{"id":"y","type":"dense","units":1,"activation":"relu"}')), ['Use binary cross-entropy (one output unit)']);
    assert.deepEqual(fixesOf(design('{"id":"y","type":"dense","units":3,"activation":"relu"}')), ['Use a softmax output']);
    const oneWide = '{"format":"nn/1","nodes":[{"id":"x","type":"input","units":1},{"id":"y","type":"dropout","rate":0.5}],"edges":[{"from":"x","to":"y"}],"training":{"loss":"categorical_crossentropy"}}';
    assert.deepEqual(fixesOf(oneWide), ['Use binary cross-entropy (one output unit)']);
    drive(oneWide);
    drive(design('{"id":"y","type":"dense","units":1,"activation":"relu"}'));
  });
});
