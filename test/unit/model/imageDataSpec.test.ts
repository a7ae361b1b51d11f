/**
 * The image data specs of `training.data` — `{ "idx": { "images", "labels" } }` and
 * `{ "imageFolder" }` — as `nn check` sees them: parsed into the document, mistakes reported at
 * their line:col, and the input they need explained before any file is read. The JSON schema
 * accepts and refuses the same.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { checkNetwork, type Diagnostic } from '../../../src/model';

const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/nn-1.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strictTuples: false, allowUnionTypes: true }).addKeyword('enumDescriptions').compile(schema);

/** A design with `input` as its input node and `data` (JSON text) as training.data, one field per line. */
function design(data: string, input = '{ "id": "x", "type": "input", "shape": [28, 28, 1] }', extraInput = ''): string {
  return [
    '{',
    '  "format": "nn/1",',
    '  "nodes": [',
    `    ${input},${extraInput}`,
    '    { "id": "f", "type": "flatten" },',
    '    { "id": "out", "type": "dense", "units": 10, "activation": "softmax" }',
    '  ],',
    '  "edges": [ { "from": "x", "to": "f" }, { "from": "f", "to": "out" } ],',
    '  "training": {',
    '    "loss": "categorical_crossentropy",',
    `    "data": ${data}`,
    '  }',
    '}',
  ].join('\n');
}

/** `line:col code message` of every diagnostic (1-based, as nn check prints). */
function problems(text: string): string[] {
  return checkNetwork(text).diagnostics.map((d: Diagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
}

describe('training.data: idx and imageFolder', () => {
  it('parses both into the document, with no diagnostics, and the schema accepts them', () => {
    const idx = design('{ "idx": { "images": "data/train-images-idx3-ubyte.gz", "labels": "data/train-labels-idx1-ubyte.gz" } }');
    assert.deepEqual(checkNetwork(idx).parsed.doc?.training?.data, { idx: { images: 'data/train-images-idx3-ubyte.gz', labels: 'data/train-labels-idx1-ubyte.gz' } });
    assert.deepEqual(problems(idx), []);
    const folder = design('{ "imageFolder": "data/pictures" }');
    assert.deepEqual(checkNetwork(folder).parsed.doc?.training?.data, { imageFolder: 'data/pictures' });
    assert.deepEqual(problems(folder), []);
    for (const t of [idx, folder]) assert.ok(validate(JSON.parse(t)), JSON.stringify(validate.errors));
  });

  it('an empty path is an error at the value (it would name the .nn file\'s own folder)', () => {
    assert.deepEqual(problems(design('{ "imageFolder": "" }')), ['11:30 error empty-path training.data: imageFolder is empty; write the path relative to this .nn file']);
    assert.deepEqual(problems(design('{ "idx": { "images": " ", "labels": "l" } }')),
      ['11:34 error empty-path training.data.idx: images is empty; write the path relative to this .nn file']);
  });

  it('a missing labels file, a misspelt field, a path that is not text, two sources: each at its place', () => {
    const misspelt = problems(design('{ "idx": { "images": "i", "label": "l" } }'));
    assert.ok(misspelt.includes("11:39 warning unknown-field training.data.idx: unknown field 'label' is kept but ignored; did you mean 'labels'?"), misspelt.join('\n'));
    assert.ok(misspelt.some((p) => /^11:\d+ error missing-field training\.data\.idx: 'labels' is missing$/.test(p)), misspelt.join('\n'));
    assert.deepEqual(problems(design('{ "idx": "train-images-idx3-ubyte" }')), ['11:22 error wrong-type training.data.idx must be an object { … }, not the text "train-images-idx3-ubyte"']);
    assert.deepEqual(problems(design('{ "imageFolder": ["a"] }')), ['11:30 error wrong-type training.data: imageFolder must be text in quotes, not a list']);
    assert.deepEqual(problems(design('{ "imageFolder": "a", "idx": { "images": "i", "labels": "l" } }')),
      ['11:13 error data-kind training.data needs exactly one of "generator", "csv", "dataset", "idx" or "imageFolder" (found idx and imageFolder)']);
    for (const bad of ['{ "imageFolder": "" }', '{ "idx": { "images": "i" } }', '{ "idx": "i" }', '{ "imageFolder": "a", "idx": { "images": "i", "labels": "l" } }']) {
      assert.equal(validate(JSON.parse(design(bad))), false, `the schema refuses ${bad}`);
    }
  });

  it('an image folder with a units input: a warning at units asking for a shape; two inputs: one input, please', () => {
    assert.deepEqual(problems(design('{ "imageFolder": "pics" }', '{ "id": "x", "type": "input", "units": 784 }')), [
      `4:44 warning data-shape image folder 'pics' holds images, so input 'x' needs a "shape" [height, width, channels] (channels 1 for gray, 3 for RGB) instead of "units"`,
    ]);
    assert.deepEqual(problems(design('{ "idx": { "images": "i", "labels": "l" } }', '{ "id": "x", "type": "input", "units": 784 }')), [], 'IDX rows fit a units input');
    const two = problems(design('{ "idx": { "images": "i", "labels": "l" } }', undefined, '\n    { "id": "y", "type": "input", "units": 2 },'));
    assert.ok(two.some((p) => /warning data-shape IDX images 'i' feeds one input node, but the network has 2; use a single input/.test(p)), two.join('\n'));
  });
});
