import * as assert from 'node:assert/strict';
import { edgeRoute } from '../../../webview/editor/edgePath';

describe('edge routes', () => {
  const em = 13;
  it('a forward edge is one curve from the output port to the input port, its label above the middle', () => {
    const r = edgeRoute({ x: 0, y: 0, width: 100, height: 40 }, { x: 200, y: 0, width: 100, height: 40 }, [], em);
    assert.match(r.d, /^M100,20 C[^ ]+ [^ ]+ 200,20$/);
    assert.equal(r.labelX, 150);
    assert.ok(r.labelY < 20);
  });

  it('an edge back to the start of the next row runs through the gap between the rows, below the tallest node of the row', () => {
    const a = { x: 400, y: 0, width: 100, height: 40 };
    const tall = { x: 200, y: 0, width: 100, height: 80 };
    const b = { x: 0, y: 120, width: 100, height: 40 };
    const r = edgeRoute(a, b, [a, tall, b], em);
    // The gap lies between the row's lowest bottom (80) and the next row's top (120).
    assert.match(r.d, / 500,100 L0,100 /);
    assert.equal(r.labelY, 100 + em * 0.35);
    assert.ok(r.d.startsWith('M500,20 ') && r.d.endsWith(' 0,140'));
  });
});
