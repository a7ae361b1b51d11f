import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  applyTextEdits, checkNetwork, EPOCHS, fitsNodeProperty, fitsNumberRule, LEARNING_RATE, numberTyped as numberFor, NODE_ID_PATTERN, isNodeId, NODE_PROPERTIES, NODE_PROPERTY_KINDS, NODE_TYPES, parseNetwork, removeNode, renameNode,
  type NodeType,
} from '../../../src/model';
import { applyIntent } from '../../../src/extension/intentEdits';
import { EDITABLE_PROPERTIES, FromEditorMessage, FromPanelMessage, MalformedMessage, nodeProblem, ToTrainerMessage } from '../../../src/protocol';

const validateFromEditor = (raw: unknown) => FromEditorMessage.validate(raw);
const validateFromPanel = (raw: unknown) => FromPanelMessage.validate(raw);
const validateToTrainer = (raw: unknown) => ToTrainerMessage.validate(raw);

function design(id: string): string {
  return JSON.stringify({
    format: 'nn/1',
    nodes: [{ id: 'x', type: 'input', units: 2 }, { id, type: 'dense', units: 3, activation: 'relu' }, { id: 'y', type: 'dense', units: 1 }],
    edges: [{ from: 'x', to: id }, { from: id, to: 'y' }],
  }, null, 2);
}

const ok = (m: unknown): boolean => !(validateFromEditor(m) instanceof MalformedMessage);

describe('one id rule and one set of field rules, from the model', () => {
  it('an id nn check accepts (1x, 0, -, __proto__) can be renamed, deleted, connected and selected through the host', () => {
    for (const id of ['1x', '0', '-', '_', '__proto__', 'a'.repeat(100)]) {
      assert.ok(isNodeId(id), id);
      const text = design(id);
      assert.deepEqual(checkNetwork(text).diagnostics.filter((d) => d.severity === 'error'), [], id);
      assert.ok(ok({ type: 'rename', requestId: 1, oldId: id, newId: 'h' }), `rename from ${id}`);
      assert.ok(ok({ type: 'rename', requestId: 1, oldId: 'h', newId: id }), `rename to ${id}`);
      assert.ok(ok({ type: 'removeNodes', requestId: 1, ids: [id] }), `delete ${id}`);
      assert.ok(ok({ type: 'connect', requestId: 1, from: 'x', to: id }), `connect ${id}`);
      assert.ok(ok({ type: 'setProperty', requestId: 1, id, key: 'units', value: 4 }), `edit ${id}`);
      assert.ok(ok({ type: 'addNode', requestId: 1, node: { id, type: 'dense', units: 2 } }), `add ${id}`);
      assert.deepEqual(validateFromPanel({ type: 'select', id }), { type: 'select', id });
      // … and the model's edits carry the intent out.
      assert.ok(applyTextEdits(text, renameNode(text, id, 'h')).includes('"id": "h"'));
      assert.ok(!checkNetwork(applyTextEdits(text, removeNode(text, id))).parsed.doc?.nodes.some((n) => n.id === id));
    }
  });

  it('an id nn check refuses is refused by the host too', () => {
    for (const id of ['', 'a b', 'a.b', 'h\nimport os', 'é', '../x']) {
      assert.ok(!isNodeId(id));
      assert.ok(checkNetwork(design(id)).diagnostics.some((d) => d.code === 'invalid-id'), JSON.stringify(id));
      assert.ok(!ok({ type: 'rename', requestId: 1, oldId: 'h', newId: id }), JSON.stringify(id));
      assert.ok(validateFromPanel({ type: 'select', id }) instanceof MalformedMessage);
    }
  });

  it('a negative alpha is refused by the inspector (numberTyped) and the host, as by the model', () => {
    const text = design('h').replace('"activation": "relu"', '"activation": "elu", "alpha": -0.5');
    assert.ok(checkNetwork(text).diagnostics.some((d) => d.code === 'out-of-range' && /alpha/.test(d.message)));
    assert.equal(numberFor('alpha', '-0.5'), undefined);
    assert.equal(numberFor('alpha', '0.3'), 0.3);
    assert.ok(!ok({ type: 'setProperty', requestId: 1, id: 'h', key: 'alpha', value: -0.5 }));
    assert.ok(ok({ type: 'setProperty', requestId: 1, id: 'h', key: 'alpha', value: 0.3 }));
    assert.match(nodeProblem({ id: 'a', type: 'activation', activation: 'elu', alpha: -1 }) ?? '', /alpha must be a number ≥ 0/);
  });

  it('for every node property and many values, the parser, the host and the inspector agree', () => {
    const samples: unknown[] = [-1, -0.5, 0, 0.5, 0.999, 1, 1.5, 2, 1e6, 1e6 + 1, 2.5e9, 'relu', 'gelu', '', 'x', true, false, null,
      [], ['a'], [1, 2], [[1, 2]], [[1, 'x']], [['a']], {}, 'valid', 'same', [3, 3], [28, 28, 1], [2, 0], [1, 2, 3], [1.5, 2],
      [[[[0.5]]]], [[[[1, 2], [3, 4]]]], [[[1]]], [[[['x']]]], [1, 2, 3, 4, 5, 6, 7, 8, 9], [2 ** 30, 2 ** 30]];
    const base: Record<NodeType, Record<string, unknown>> = {
      input: { units: 2 }, dense: { units: 2 }, activation: { activation: 'relu' }, dropout: { rate: 0.5 }, add: {}, multiply: {}, concat: {},
      conv2d: { filters: 2, kernelSize: 3 }, maxpool2d: { poolSize: 2 }, avgpool2d: { poolSize: 2 }, globalavgpool2d: {}, flatten: {},
      reshape: { shape: [2] }, batchnorm: {},
    };
    let compared = 0;
    for (const key of Object.keys(NODE_PROPERTY_KINDS)) {
      const types = NODE_TYPES.filter((t) => key === 'label' || [...NODE_PROPERTIES[t].required, ...NODE_PROPERTIES[t].optional].includes(key));
      assert.ok(types.length, `no node type takes ${key}`);
      for (const type of types) {
        for (const value of samples) {
          const fits = fitsNodeProperty(key, value, type);
          const node: Record<string, unknown> = { id: 'n', type, ...base[type], [key]: value };
          // An input has units or a shape, never both.
          if (type === 'input' && key === 'shape') delete node.units;
          const parsed = parseNetwork(JSON.stringify({ format: 'nn/1', nodes: [node] }));
          const read = parsed.doc?.nodes.find((n) => n.id === 'n') as Record<string, unknown> | undefined;
          const modelAccepts = read !== undefined && JSON.stringify(read[key]) === JSON.stringify(value);
          const what = `${type}.${key} = ${JSON.stringify(value)}`;
          assert.equal(modelAccepts, fits, `model vs rule: ${what}`);
          assert.equal(nodeProblem(node) === undefined, fits, `host (add/paste) vs rule: ${what}`);
          if (Object.hasOwn(EDITABLE_PROPERTIES, key)) {
            assert.equal(ok({ type: 'setProperty', requestId: 1, id: 'n', key, value }), fits, `host (setProperty) vs rule: ${what}`);
          }
          if ((key === 'units' || key === 'alpha' || key === 'rate') && typeof value === 'number') {
            assert.equal(numberFor(key, String(value)) !== undefined, fits, `inspector vs rule: ${what}`);
          }
          compared++;
        }
      }
    }
    assert.ok(compared > 200, `${compared} comparisons`);
  });

  it('a copied image input (the parser filled in its units) pastes as its shape alone, accepted by the host and the model', () => {
    const text = JSON.stringify({ format: 'nn/1', nodes: [{ id: 'x', type: 'input', shape: [28, 28, 1] }], edges: [] }, null, 2);
    const copied = parseNetwork(text).doc?.nodes[0];
    assert.deepEqual(copied, { id: 'x', type: 'input', shape: [28, 28, 1], units: 784 });
    const node = { ...copied, id: 'x2' };
    assert.equal(nodeProblem(node), undefined);
    const m = validateFromEditor({ type: 'paste', requestId: 1, nodes: [node], edges: [] });
    assert.ok(!(m instanceof MalformedMessage));
    const pasted = applyIntent(text, m as Parameters<typeof applyIntent>[1]);
    assert.ok(pasted.includes('{ "id": "x2", "type": "input", "shape": [28, 28, 1] }'), pasted);
    assert.deepEqual(checkNetwork(pasted).diagnostics.filter((d) => d.severity === 'error'), []);
    // Units that disagree with the shape are not derived: both are written, and both are refused.
    assert.match(nodeProblem({ ...node, units: 5 }) ?? '', /exactly one of units or shape/);
  });

  it('the JSON schema states the same id rule and node property kinds', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/nn-1.schema.json'), 'utf8'));
    const props = schema.properties.nodes.items.properties as Record<string, Record<string, unknown>>;
    assert.equal(props.id.pattern, NODE_ID_PATTERN.source);
    const jsonType: Record<string, string | string[]> = {
      number: 'number', name: 'string', text: 'string', flag: 'boolean', textList: 'array', numberList: 'array', numberMatrix: 'array',
      size2d: ['integer', 'array'], shape: 'array',
    };
    for (const [key, kind] of Object.entries(NODE_PROPERTY_KINDS)) {
      const p = props[key];
      assert.ok(p, `the schema has no node property ${key}`);
      if (kind.kind === 'number') {
        assert.equal(p.type, kind.rule.integer ? 'integer' : 'number', key);
        assert.equal(p[kind.rule.minExclusive ? 'exclusiveMinimum' : 'minimum'], kind.rule.min, key);
        assert.equal(p[kind.rule.maxExclusive ? 'exclusiveMaximum' : 'maximum'], kind.rule.max, key);
      } else {
        assert.deepEqual(p.type, jsonType[kind.kind], key);
        if (kind.kind === 'name') assert.deepEqual(p.enum, kind.names, key);
      }
    }
  });

  it("a run's epochs and learning rate overrides keep the same rules as the file's training section", () => {
    const job = { text: '{ "format": "nn/1" }', file: '/ws/a.nn', allowedRoots: ['/ws'] };
    for (const [key, rule] of [['epochs', EPOCHS], ['learningRate', LEARNING_RATE]] as const) {
      for (const value of [-1, 0, 1e-9, 0.5, 1, 2, 10, 10.5, 1e6, 1e6 + 1]) {
        const fits = fitsNumberRule(rule, value);
        const text = JSON.stringify({ format: 'nn/1', nodes: [], training: key === 'epochs' ? { epochs: value } : { optimizer: { type: 'sgd', learningRate: value } } });
        const read = parseNetwork(text).doc?.training;
        assert.equal((key === 'epochs' ? read?.epochs : read?.optimizer?.learningRate) === value, fits, `file ${key} = ${value}`);
        const m = validateToTrainer({ type: 'train', runId: 1, overrides: { [key]: value }, ...job });
        assert.equal(!(m instanceof MalformedMessage), fits, `override ${key} = ${value}`);
      }
    }
  });
});
