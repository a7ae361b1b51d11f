/** `layout.direction`: read, checked with a warning at its line and column, in the schema, and set as a minimal text edit. */
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import { applyEdits } from 'jsonc-parser';
import { checkNetwork, formatDiagnostic, ModelEditError, parseNetwork, setLayoutDirection } from '../../../src/model';
import { replacementForIntent } from '../../../src/extension/intentEdits';

const base = `{
  "format": "nn/1",
  "nodes": [{ "id": "x", "type": "input", "units": 2 }, { "id": "y", "type": "dense", "units": 1 }],
  "edges": [{ "from": "x", "to": "y" }]
}
`;
const withLayout = (layout: string): string => base.replace('}]\n}', `}],\n  "layout": ${layout}\n}`);

describe('layout.direction', () => {
  it('is read as auto, right or down, next to the pins', () => {
    for (const d of ['auto', 'right', 'down'] as const) {
      const p = parseNetwork(withLayout(`{ "direction": "${d}", "pinned": { "y": { "x": 10, "y": 20 } } }`));
      assert.deepEqual(p.doc?.layout, { direction: d, pinned: { y: { x: 10, y: 20 } } });
      assert.deepEqual(p.diagnostics, []);
    }
    assert.equal(parseNetwork(base).doc?.layout, undefined);
  });

  it('warns about any other value at its line and column, keeps the pins and trains anyway', () => {
    const text = withLayout('{\n    "direction": "up",\n    "pinned": { "y": { "x": 10, "y": 20 } }\n  }');
    const c = checkNetwork(text);
    const d = c.diagnostics.filter((x) => x.code === 'unknown-direction');
    assert.equal(d.length, 1);
    assert.equal(d[0].severity, 'warning');
    assert.match(formatDiagnostic('a.nn', d[0]), /^a\.nn:6:18: warning: layout\.direction must be "auto".*"right" \(left to right\) or "down" \(top to bottom\), not the text "up"/);
    assert.equal(c.diagnostics.filter((x) => x.severity === 'error').length, 0);
    assert.deepEqual(parseNetwork(text).doc?.layout, { pinned: { y: { x: 10, y: 20 } } });
    const n = checkNetwork(withLayout('{ "direction": 3 }')).diagnostics.find((x) => x.code === 'unknown-direction');
    assert.match(n?.message ?? '', /not 3;/);
  });

  it('is in the schema with exactly the parser\'s values', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/nn-1.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strictTuples: false, allowUnionTypes: true }).addKeyword('enumDescriptions').compile(schema);
    assert.deepEqual(schema.properties.layout.properties.direction.enum, ['auto', 'right', 'down']);
    assert.equal(validate(JSON.parse(withLayout('{ "direction": "down" }'))), true);
    assert.equal(validate(JSON.parse(withLayout('{ "direction": "up" }'))), false);
  });

  it('is set as a minimal edit: one line added, and auto removes it (with `layout` when nothing else is in it)', () => {
    const down = applyEdits(base, setLayoutDirection(base, 'down'));
    assert.deepEqual(parseNetwork(down).doc?.layout, { direction: 'down' });
    assert.ok(down.startsWith(base.slice(0, base.lastIndexOf(']') + 1)), 'the nodes and edges are untouched');
    const right = applyEdits(down, setLayoutDirection(down, 'right'));
    assert.equal(right, down.replace('"down"', '"right"'), 'a change rewrites only the value');
    assert.equal(applyEdits(right, setLayoutDirection(right, 'auto')), base, 'auto leaves no trace');
    const pinned = withLayout('{ "pinned": { "y": { "x": 10, "y": 20 } } }');
    const both = applyEdits(pinned, setLayoutDirection(pinned, 'down'));
    assert.deepEqual(parseNetwork(both).doc?.layout, { pinned: { y: { x: 10, y: 20 } }, direction: 'down' });
    assert.equal(applyEdits(both, setLayoutDirection(both, 'auto')), pinned, 'the pins stay');
    assert.throws(() => setLayoutDirection(base, 'up' as 'down'), (e: unknown) => e instanceof ModelEditError && /auto, right, down/.test(e.message));
  });

  it('comes from the editor as one replacement (one undo step)', () => {
    const r = replacementForIntent(base, { type: 'setLayoutDirection', requestId: 1, direction: 'down' });
    assert.ok(r);
    const after = base.slice(0, r.offset) + r.content + base.slice(r.offset + r.length);
    assert.deepEqual(parseNetwork(after).doc?.layout, { direction: 'down' });
    assert.equal(replacementForIntent(base, { type: 'setLayoutDirection', requestId: 2, direction: 'auto' }), undefined, 'already automatic: nothing to change');
  });
});
