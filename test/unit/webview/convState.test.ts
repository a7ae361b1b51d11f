/**
 * The gradients panel's model of an image network: one filter snapshot per epoch with a bounded
 * history, the maps follow the grid's first image until the user picks one, and feature maps are
 * asked for sparingly (one request at a time, at most once a second for new weights, always for
 * the final weights, never again for a node that has none).
 */
import * as assert from 'node:assert/strict';
import type { FeatureMapsValue, TrainingUpdate } from '../../../src/protocol';
import { ConvState, MAPS_REFRESH_MS, MAX_FILTER_SNAPSHOTS } from '../../../webview/panel/convState';

const filters = (epoch: number): TrainingUpdate => ({ kind: 'filters', runId: 1, epoch, globalStep: epoch * 10, node: 'c1', shape: [1, 1, 1, 1], of: 1, data: new Float32Array(1) });
const images = (rows: number[]): TrainingUpdate => ({
  kind: 'images', runId: 1, epoch: 1, set: 'validation', shape: [1, 1, 1], pixels: new Uint8Array(rows.length), rows,
  actual: rows.map(() => 0), predicted: rows.map(() => 1), confidence: rows.map(() => 0.5), classNames: [], total: 100, wrong: rows.length,
});
const maps = (node: string, row: number): FeatureMapsValue => ({ node, row, set: 'validation', shape: [1, 1, 1], data: new Float32Array(1), image: { shape: [1, 1, 1], pixels: new Uint8Array(1) }, source: 'saved' });

describe('gradients panel: image network state', () => {
  it('keeps one filter snapshot per epoch, thinned to a bounded history that ends at the latest', () => {
    const s = new ConvState();
    s.apply(filters(1));
    s.apply(filters(1));
    assert.equal(s.filters.length, 1);
    for (let e = 2; e <= 200; e++) s.apply(filters(e));
    assert.ok(s.filters.length <= MAX_FILTER_SNAPSHOTS, String(s.filters.length));
    assert.equal(s.filters[0].epoch, 1);
    assert.equal(s.filter?.epoch, 200);
  });

  it('asks for the first conv layer\'s maps of the grid\'s first image, one request at a time, and again after new weights at most once a second', () => {
    const s = new ConvState();
    assert.equal(s.request(0), undefined, 'nothing to ask before a run');
    s.apply(filters(1));
    s.apply(images([7, 3]));
    assert.deepEqual(s.request(0), { node: 'c1', row: 7 });
    assert.equal(s.request(1), undefined, 'one at a time');
    s.answer('c1', 7, maps('c1', 7), undefined);
    assert.equal(s.request(2), undefined, 'the maps shown are current');
    s.apply(filters(2));
    assert.equal(s.request(10), undefined, 'new weights, but within a second of the last request');
    assert.deepEqual(s.request(MAPS_REFRESH_MS + 1), { node: 'c1', row: 7 }, 'new weights, a second later');
    s.answer('c1', 7, maps('c1', 7), undefined);
    s.apply({ kind: 'done', runId: 1, epochs: 2, loss: 0.1, metrics: {}, stopped: 'completed', reason: 'done', elapsedMs: 1, samplesPerSec: 1 });
    assert.deepEqual(s.request(MAPS_REFRESH_MS + 2), { node: 'c1', row: 7 }, 'the final weights at once');
    s.answer('c1', 7, maps('c1', 7), undefined);
    s.apply(images([4, 5]));
    assert.deepEqual(s.request(MAPS_REFRESH_MS + 3), { node: 'c1', row: 4 }, 'follows the grid\'s first image until the user picks');
  });

  it('follows the user\'s image and node, and does not ask again for a node that has no maps', () => {
    const s = new ConvState();
    s.apply(filters(1));
    s.apply(images([7]));
    s.request(0);
    s.answer('c1', 7, maps('c1', 7), undefined);
    s.pickRow(3);
    assert.deepEqual(s.request(1), { node: 'c1', row: 3 });
    s.answer('c1', 3, maps('c1', 3), undefined);
    s.apply(images([9]));
    assert.equal(s.row, 3, 'a picked image stays picked');
    s.pickNode('y');
    assert.deepEqual(s.request(2), { node: 'y', row: 3 });
    s.answer('y', 3, undefined, "'y' outputs a vector");
    assert.equal(s.mapsError, "'y' outputs a vector");
    s.apply(filters(2));
    assert.equal(s.request(5000), undefined, 'no maps for y: not asked again');
    s.reset(true);
    assert.equal(s.mapsNode, 'y', 'a new run of the same file keeps the picked node');
    s.reset(false);
    s.apply(filters(1));
    assert.equal(s.mapsNode, 'c1', 'another file starts from its first conv layer');
  });
});
