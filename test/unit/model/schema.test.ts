import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import {
  ACTIVATION_NAMES, DATASET_NAMES, GENERATOR_NAMES, LOSS_NAMES, NODE_TYPES, OPTIMIZER_NAMES, checkNetwork,
} from '../../../src/model';

const root = join(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/nn-1.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strictTuples: false, allowUnionTypes: true }).addKeyword('enumDescriptions').compile(schema);
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.nn'));

type Json = Record<string, unknown>;

/** Every object schema's properties, with their JSON path, found by walking the whole schema. */
function allProperties(s: unknown, path = '#', out: { path: string; prop: Json }[] = []): { path: string; prop: Json }[] {
  if (Array.isArray(s)) s.forEach((x, i) => allProperties(x, `${path}/${i}`, out));
  else if (s && typeof s === 'object') {
    const o = s as Json;
    if (o.properties && typeof o.properties === 'object') {
      for (const [k, v] of Object.entries(o.properties as Json)) out.push({ path: `${path}/${k}`, prop: v as Json });
    }
    // `if` blocks are conditions (type is "dense" …), not properties anyone hovers over.
    for (const [k, v] of Object.entries(o)) if (k !== 'if') allProperties(v, `${path}/${k}`, out);
  }
  return out;
}

function enumAt(...keys: string[]): unknown[] {
  let s: Json = schema;
  for (const k of keys) s = s[k] as Json;
  return s.enum as unknown[];
}

describe('schemas/nn-1.schema.json', () => {
  it('is draft-07 and contributed for *.nn in package.json', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '*.nn', url: './schemas/nn-1.schema.json' }]);
  });

  it('describes every property, so hovers help students', () => {
    const props = allProperties(schema);
    assert.ok(props.length > 40);
    for (const { path, prop } of props) assert.ok(typeof prop.description === 'string' && prop.description.length > 5, `${path} has no description`);
  });

  it('names exactly the parser\'s node types, activations, losses, optimizers, generators and data sets', () => {
    const node = schema.properties.nodes.items;
    assert.deepEqual(node.properties.type.enum, NODE_TYPES);
    assert.deepEqual(node.properties.activation.enum, ACTIVATION_NAMES);
    assert.deepEqual(enumAt('properties', 'training', 'properties', 'loss'), LOSS_NAMES);
    assert.deepEqual(schema.properties.training.properties.optimizer.properties.type.enum, OPTIMIZER_NAMES);
    const data = schema.properties.training.properties.data.oneOf;
    assert.deepEqual(data[0].properties.generator.enum, GENERATOR_NAMES);
    assert.deepEqual(data[2].properties.dataset.enum, DATASET_NAMES);
    for (const e of [node.properties.type, node.properties.activation, data[0].properties.generator]) {
      assert.equal(e.enumDescriptions.length, e.enum.length);
    }
  });

  for (const f of examples) {
    it(`accepts ${f}`, () => {
      const ok = validate(JSON.parse(readFileSync(join(root, 'examples', f), 'utf8')));
      assert.ok(ok, JSON.stringify(validate.errors));
    });
  }

  it('rejects what the parser rejects in image networks: units and shape together, a bad window, padding or momentum, flat conv weights', () => {
    const base = JSON.parse(readFileSync(join(root, 'examples/mnist-convnet.nn'), 'utf8'));
    const cases: ((d: Json & { nodes: Json[] }) => void)[] = [
      (d) => { d.nodes[0].units = 784; },
      (d) => { delete d.nodes[0].shape; },
      (d) => { d.nodes[0].shape = [28, 0, 1]; },
      (d) => { delete d.nodes[1].filters; },
      (d) => { d.nodes[1].kernelSize = [3, 3, 3]; },
      (d) => { d.nodes[1].padding = 'smae'; },
      (d) => { d.nodes[1].weights = [[0.1, 0.2]]; },
      (d) => { d.nodes[3].poolSize = 0; },
      (d) => { d.nodes[4] = { id: 'drop1', type: 'batchnorm', momentum: 1 }; },
      (d) => { d.nodes[4] = { id: 'drop1', type: 'batchnorm', epsilon: 0 }; },
    ];
    for (const mutate of cases) {
      const d = structuredClone(base);
      mutate(d);
      assert.equal(validate(d), false, `schema accepted ${mutate.toString()}`);
      const errors = checkNetwork(JSON.stringify(d)).diagnostics.filter((x) => x.severity === 'error');
      assert.ok(errors.length > 0, `parser accepted ${mutate.toString()}`);
    }
    const ok = structuredClone(base);
    ok.nodes[1].weights = Array.from({ length: 32 }, () => Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => [0.1])));
    ok.nodes[1].strides = [1, 1];
    ok.nodes[1].padding = 'valid';
    assert.ok(validate(ok), JSON.stringify(validate.errors));
  });

  it('rejects what the parser rejects: unknown activation, weights as text, missing units, bad split', () => {
    const base = JSON.parse(readFileSync(join(root, 'examples/interview.nn'), 'utf8'));
    const cases: ((d: Json & { nodes: Json[]; training: Json }) => void)[] = [
      (d) => { d.nodes[1].activation = 'rleu'; },
      (d) => { d.nodes[1].weights = [[0.5, 'NaN']]; },
      (d) => { delete d.nodes[0].units; },
      (d) => { d.training.validationSplit = 1; },
      (d) => { d.format = 'nn/2'; },
      (d) => { d.training.data = { generator: 'xor', csv: 'a.csv' }; },
    ];
    for (const mutate of cases) {
      const d = structuredClone(base);
      mutate(d);
      assert.equal(validate(d), false, `schema accepted ${mutate.toString()}`);
      const errors = checkNetwork(JSON.stringify(d)).diagnostics.filter((x) => x.severity === 'error');
      assert.ok(errors.length > 0, `parser accepted ${mutate.toString()}`);
    }
  });
});
