/**
 * Where the docked training view goes and how big it may be (webview/editor/training/dockState.ts):
 * below the editor unless it is much wider than tall, sizes clamped so the graph keeps its room,
 * and a remembered state read back safely from whatever the webview state holds.
 */
import * as assert from 'node:assert/strict';
import { chooseSide, clampSize, defaultSize, KEEP_BELOW, KEEP_BESIDE, MIN_SIZE, readDockState, sizeRange } from '../../../webview/editor/training/dockState';

describe('docked training view: side and size', () => {
  it('docks below a 1400×900 editor and one narrowed by the Gradients panel, beside an ultra-wide one', () => {
    assert.equal(chooseSide(1400, 900), 'below');
    assert.equal(chooseSide(700, 900), 'below');
    assert.equal(chooseSide(1600, 900), 'below');
    assert.equal(chooseSide(2200, 900), 'beside');
    // Wide but too small to keep the palette, canvas and inspector beside the view: below.
    assert.equal(chooseSide(1000, 400), 'below');
  });

  it('starts at a default size and clamps what the user sets so the graph keeps its room', () => {
    assert.equal(defaultSize('below', 1400, 900), 270);
    assert.equal(clampSize('below', 0, 1400, 900), 270, '0 means the default');
    assert.equal(clampSize('below', 10, 1400, 900), MIN_SIZE);
    assert.equal(clampSize('below', 5000, 1400, 900), 900 - KEEP_BELOW);
    assert.equal(clampSize('beside', 5000, 2200, 900), 2200 - KEEP_BESIDE);
    assert.deepEqual(sizeRange('below', 1400, 250), { min: MIN_SIZE, max: MIN_SIZE }, 'a tiny editor still shows a minimal view');
  });

  it('reads the remembered state, with defaults for anything missing or wrong', () => {
    assert.deepEqual(readDockState({ collapsed: true, below: 400, beside: 500 }), { collapsed: true, below: 400, beside: 500 });
    assert.deepEqual(readDockState(undefined), { collapsed: false, below: 0, beside: 0 });
    assert.deepEqual(readDockState({ collapsed: 'yes', below: -3, beside: Number.NaN }), { collapsed: false, below: 0, beside: 0 });
    assert.deepEqual(readDockState('garbage'), { collapsed: false, below: 0, beside: 0 });
  });
});
