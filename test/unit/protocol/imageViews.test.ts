/**
 * The image views' messages are bounded and self-consistent: a grid whose lists or pixels do not
 * match its images, a filter snapshot whose data does not fill its shape, and feature maps whose
 * values do not fill theirs are refused with a reason, so a view never draws garbage.
 */
import * as assert from 'node:assert/strict';
import { FeatureMaps, MAX_GRID_IMAGES, MalformedMessage, ToPanelMessage, TrainingUpdate } from '../../../src/protocol';

const grid = {
  kind: 'images', runId: 1, epoch: 1, set: 'validation', shape: [2, 2, 1], pixels: new Uint8Array(8), rows: [0, 1], actual: [1, 0], predicted: [0, 0], confidence: [0.9, 0.6],
  classNames: [], total: 2, wrong: 1,
};
const maps = { node: 'c', row: 0, set: 'validation', shape: [2, 2, 3], data: new Float32Array(12), image: { shape: [2, 2, 1], pixels: new Uint8Array(4) }, source: 'saved weights' };

function problem(v: unknown): string {
  const r = TrainingUpdate.validate(v);
  return r instanceof MalformedMessage ? r.reason : 'accepted';
}

describe('image view messages', () => {
  it('accepts a consistent image grid and refuses lists or pixels that do not match its images', () => {
    assert.equal(problem(grid), 'accepted');
    assert.match(problem({ ...grid, predicted: [0] }), /"predicted" must have one entry per image \(2\)/);
    assert.match(problem({ ...grid, pixels: new Uint8Array(7) }), /"pixels" must hold 2 images of 4 values/);
    assert.match(problem({ ...grid, shape: [2, 2] }), /"shape" must be \[H, W, C\]/);
    const many = Array.from({ length: MAX_GRID_IMAGES + 1 }, () => 0);
    assert.match(problem({ ...grid, rows: many, actual: many, predicted: many, confidence: many, pixels: new Uint8Array(many.length * 4) }), /"rows" must be a list of at most 48/);
  });

  it('refuses a filter snapshot whose data does not fill its shape', () => {
    const f = { kind: 'filters', runId: 1, epoch: 1, globalStep: 3, node: 'c', shape: [2, 3, 3, 1], of: 2, data: new Float32Array(18) };
    assert.equal(problem(f), 'accepted');
    assert.match(problem({ ...f, data: new Float32Array(17) }), /"data" must hold 18 values/);
  });

  it('refuses feature maps whose values do not fill their shape, in the answer and in the panel message', () => {
    assert.equal(FeatureMaps.check(maps, 'value'), undefined);
    assert.match(FeatureMaps.check({ ...maps, data: new Float32Array(11) }, 'value') ?? '', /"value.data" must hold 12 values/);
    const m = ToPanelMessage.validate({ type: 'featureMaps', node: 'c', row: 0, maps: { ...maps, shape: [2, 2, 2] } });
    assert.ok(m instanceof MalformedMessage && /must hold 8 values/.test(m.reason), String(m instanceof MalformedMessage ? m.reason : 'accepted'));
  });
});
