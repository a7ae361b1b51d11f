import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { analyzeNetwork, checkNetwork, LineIndex, NODE_TYPES, ACTIVATION_NAMES, type Diagnostic } from '../../../src/model';

const dir = join(__dirname, '../../../examples');
const examples = readdirSync(dir).filter((f) => f.endsWith('.nn')).map((f) => readFileSync(join(dir, f), 'utf8'));

/** Every diagnostic's range lies inside the text and its line/col agree with its offsets. */
function assertRangesInside(text: string, ds: Diagnostic[]): void {
  const lines = new LineIndex(text);
  for (const d of ds) {
    const { offset, length, start, end } = d.range;
    assert.ok(offset >= 0 && length >= 0 && offset + length <= text.length, `${d.code} range ${offset}+${length} outside ${text.length}`);
    assert.deepEqual(start, lines.position(offset));
    assert.deepEqual(end, lines.position(offset + length));
    assert.ok(d.message.length > 0 && d.code.length > 0);
  }
}

/** Parse, validate and analyse must never throw; analysis of whatever doc comes out must not throw either. */
function runAll(text: string): void {
  const c = checkNetwork(text);
  assertRangesInside(text, c.diagnostics);
  if (c.parsed.doc) analyzeNetwork(c.parsed.doc);
}

const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '"id"', '"type"', '"dense"', '"units"', '"nodes"', '"edges"',
  '"from"', '"to"', '"x"', '"NaN"', '1e999', '-0', '0.5', 'null', 'true', '//', '/*', '\\', '\n', '\r\n', ' ', '"nn/1"', '"format"');

/** A mutation of a text: delete, insert tokens, replace or duplicate a slice. */
const mutation = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate', 'truncate'),
  at: fc.nat(),
  len: fc.nat({ max: 40 }),
  junk: fc.array(token, { maxLength: 6 }).map((t) => t.join('')),
});

function mutate(text: string, ms: { kind: string; at: number; len: number; junk: string }[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'insert') t = t.slice(0, at) + m.junk + t.slice(at);
    else if (m.kind === 'replace') t = t.slice(0, at) + m.junk + t.slice(at + m.len);
    else if (m.kind === 'duplicate') t = t.slice(0, at + m.len) + t.slice(at, at + m.len) + t.slice(at + m.len);
    else t = t.slice(0, at);
  }
  return t;
}

/** A node whose fields are sometimes right and often wrong. */
const anyValue = fc.oneof(fc.integer({ min: -3, max: 5 }), fc.double(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null),
  fc.array(fc.array(fc.oneof(fc.double(), fc.string({ maxLength: 3 })), { maxLength: 4 }), { maxLength: 4 }));
const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const nodeArb = fc.record({
  id: fc.oneof(ids, anyValue),
  type: fc.oneof(fc.constantFrom(...NODE_TYPES), anyValue),
  units: fc.oneof(fc.integer({ min: 1, max: 4 }), anyValue),
  activation: fc.oneof(fc.constantFrom(...ACTIVATION_NAMES), anyValue),
  weights: anyValue,
  rate: anyValue,
}, { requiredKeys: ['id', 'type'] });
const docArb = fc.record({
  format: fc.oneof(fc.constant('nn/1'), anyValue),
  nodes: fc.array(nodeArb, { maxLength: 7 }),
  edges: fc.array(fc.oneof(fc.record({ from: ids, to: ids }), anyValue), { maxLength: 9 }),
  training: fc.oneof(fc.constant(undefined), fc.record({ loss: anyValue, optimizer: fc.oneof(anyValue, fc.record({ type: anyValue })) })),
});

describe('model fuzz (fast-check)', function () {
  this.timeout(30000);

  it('mutated example files never throw, and every diagnostic range lies inside the text', () => {
    fc.assert(fc.property(fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 4 }), (text, ms) => {
      runAll(mutate(text, ms));
    }), { numRuns: 400, seed: 42 });
  });

  it('random JSON-ish text never throws', () => {
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }).map((t) => t.join('')), (text) => {
      runAll(text);
    }), { numRuns: 400, seed: 43 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      runAll(text);
    }), { numRuns: 200, seed: 44 });
  });

  it('random documents with wrong types, unknown ids and cycles never throw', () => {
    fc.assert(fc.property(docArb, fc.boolean(), (doc, pretty) => {
      runAll(JSON.stringify(doc, null, pretty ? 2 : undefined));
    }), { numRuns: 400, seed: 45 });
  });

  it('survives huge and deeply nested input', () => {
    runAll(`{"format":"nn/1","nodes":${'['.repeat(5000)}`);
    runAll(`{"format":"nn/1","nodes":[${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}]}`);
    const many = Array.from({ length: 20000 }, (_, i) => `{"id":"n${i}","type":"dense","units":1}`).join(',');
    runAll(`{"format":"nn/1","nodes":[{"id":"x","type":"input","units":1},${many}],"edges":[]}`);
  });
});
