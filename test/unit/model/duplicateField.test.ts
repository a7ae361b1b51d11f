import { strict as assert } from 'assert';
import { checkNetwork, formatDiagnostic, parseNetwork } from '../../../src/model';
import { checkDesign, JobError } from '../../../src/jobs';
import { buildView } from '../../../webview/editor/viewModel';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import { covered } from './helpers';

/** A valid design whose node `h` carries `extra` (raw JSON text) after its own fields. */
function design(hExtra: string, yExtra = '', more = ''): string {
  return `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 2 },
    { "id": "h", "type": "dense", "units": 3, "activation": "relu"${hExtra} },
    { "id": "y", "type": "dense", "units": 1, "activation": "sigmoid"${yExtra} }
  ],
  "edges": [{ "from": "x", "to": "h" }, { "from": "h", "to": "y" }]${more}
}`;
}

const INJECTED_ID = `, "id": "h\\nimport os\\nos.system('echo pwned')\\n"`;

describe('model: a key written twice is an error (duplicate-field)', () => {
  it('an id written twice, the second holding a newline and Python code, is an error at the second id; the doc keeps the checked id', () => {
    const text = design(INJECTED_ID);
    const c = checkNetwork(text);
    const dup = c.diagnostics.filter((d) => d.code === 'duplicate-field');
    assert.equal(dup.length, 1);
    assert.equal(dup[0].severity, 'error');
    assert.equal(dup[0].nodeId, 'h');
    // line:col of the second "id" (1-based in the CLI format).
    const second = text.indexOf('"id": "h\\n');
    assert.equal(dup[0].range.offset, second);
    assert.equal(covered(text, dup[0]), '"id"');
    assert.match(formatDiagnostic('t.nn', dup[0]), /^t\.nn:5:\d+: error: node 'h': 'id' is written twice/);
    assert.equal(c.analysis, undefined, 'a file with errors is not analysed for training or export');
    // What every consumer reads is what the checks saw: no id with code in it reaches the doc.
    const ids = c.parsed.doc?.nodes.map((n) => n.id);
    assert.deepEqual(ids, ['x', 'h', 'y']);
  });

  it('a second "type": "conv2d" is an error, and the node keeps the type that was checked', () => {
    const text = design('', ', "type": "conv2d"');
    const c = checkNetwork(text);
    const errors = c.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => d.code), ['duplicate-field']);
    assert.equal(errors[0].nodeId, 'y');
    assert.equal(covered(text, errors[0]), '"type"');
    assert.equal(c.parsed.doc?.nodes[2].type, 'dense');
    // The graph can still be drawn: every node has the type its checks used.
    const { snapshot } = documentSnapshot(text, 1, 't.nn');
    const view = buildView(snapshot, new Set(), (s) => s.length * 7, 13);
    assert.equal(view.nodes.length, 3);
    assert.match(view.nodes[2].subtitle, /^Dense/);
  });

  it('is an error in every kind of record: top level, edges, training, data, optimizer, early stopping, layout', () => {
    const cases: [string, string, string][] = [
      ['top level', design('', '', ',\n  "name": "a",\n  "name": "b"'), 'the file'],
      ['edge', design('').replace('{ "from": "h", "to": "y" }', '{ "from": "h", "to": "y", "from": "x" }'), 'edges[1]'],
      ['training', design('', '', ',\n  "training": { "epochs": 3, "epochs": 300000 }'), 'training'],
      ['data', design('', '', ',\n  "training": { "data": { "generator": "xor", "samples": 10, "samples": 20 } }'), 'training.data'],
      ['optimizer', design('', '', ',\n  "training": { "optimizer": { "type": "sgd", "learningRate": 0.1, "learningRate": 9 } }'), 'training.optimizer'],
      ['early stopping', design('', '', ',\n  "training": { "earlyStopping": { "patience": 1, "patience": 2 } }'), 'training.earlyStopping'],
      ['layout', design('', '', ',\n  "layout": { "pinned": { "h": { "x": 1, "y": 2, "x": 3 } } }'), 'layout.pinned.h'],
      ['pins', design('', '', ',\n  "layout": { "pinned": { "h": { "x": 1, "y": 2 }, "h": { "x": 3, "y": 4 } } }'), 'layout.pinned'],
      ['nested unknown object', design(', "extra": { "a": 1, "a": 2 }'), "node 'h'.extra"],
    ];
    for (const [what, text, owner] of cases) {
      const c = checkNetwork(text);
      const dup = c.diagnostics.filter((d) => d.code === 'duplicate-field');
      assert.equal(dup.length, 1, `${what}: ${JSON.stringify(c.diagnostics.map((d) => d.message))}`);
      assert.equal(dup[0].severity, 'error', what);
      assert.ok(dup[0].message.startsWith(`${owner}: `), `${what}: ${dup[0].message}`);
    }
  });

  it('the value used is the first copy everywhere (the one the checks saw)', () => {
    const text = design('', '', ',\n  "training": { "epochs": 3, "epochs": 7, "optimizer": { "type": "sgd", "type": "adam" } },\n  "layout": { "pinned": { "h": { "x": 1, "y": 2 }, "h": { "x": 3, "y": 4 } } }');
    const p = parseNetwork(text);
    assert.equal(p.doc?.training?.epochs, 3);
    assert.equal(p.doc?.training?.optimizer?.type, 'sgd');
    assert.deepEqual(p.doc?.layout?.pinned?.h, { x: 1, y: 2 });
  });

  it('training refuses the design and names the duplicate-field error', () => {
    const text = design(INJECTED_ID);
    assert.throws(() => checkDesign({ text, file: '/tmp/dup.nn', allowedRoots: ['/tmp'] }), (e: unknown) => {
      assert.ok(e instanceof JobError);
      assert.match(e.message, /dup\.nn:5:\d+: error: node 'h': 'id' is written twice.*\[duplicate-field\]/);
      return true;
    });
  });
});
