import * as assert from 'node:assert/strict';
import { imageShape, volumeGeometry } from '../../../webview/editor/volume';

describe('volume geometry (image tensors drawn as boxes)', () => {
  const em = 13;
  const v = (shape: number[]) => {
    const g = volumeGeometry(shape, em);
    assert.ok(g, `${shape.join('×')} is drawn as a volume`);
    return g;
  };

  it('height follows H, depth follows W and width follows C, each growing with the size', () => {
    assert.ok(v([28, 28, 1]).height > v([14, 28, 1]).height);
    assert.equal(v([28, 5, 1]).height, v([28, 28, 1]).height);
    assert.ok(v([28, 28, 1]).dx > v([28, 5, 1]).dx);
    assert.ok(v([5, 5, 16]).width > v([5, 5, 6]).width && v([5, 5, 6]).width > v([5, 5, 1]).width);
    assert.equal(v([5, 5, 16]).height, v([5, 5, 1]).height);
  });

  it('uses a log scale with caps, so 28×28×1 and 5×5×16 both read, and nothing grows without bound', () => {
    const input = v([28, 28, 1]);
    const map = v([5, 5, 16]);
    assert.ok(input.height / map.height < 2.5, 'a 28-row input is not drawn 5.6× as tall as a 5-row map');
    assert.ok(input.width >= 3, 'one channel is still a visible slab');
    assert.ok(map.width > 2 * em, '16 channels read as a thick stack');
    const huge = v([4096, 4096, 4096]);
    assert.ok(huge.boxHeight <= 12 * em && huge.boxWidth <= 10 * em, 'capped');
    assert.deepEqual(v([224, 224, 3]).height, v([4096, 224, 3]).height);
  });

  it('draws only image shapes: [H, W, C], and [H, W] as one channel; vectors and unknown shapes stay blocks', () => {
    assert.deepEqual(imageShape([28, 28]), [28, 28, 1]);
    assert.equal(volumeGeometry([784], em), undefined);
    assert.equal(volumeGeometry(undefined, em), undefined);
    assert.equal(volumeGeometry([2, 3, 4, 5], em), undefined);
    assert.equal(volumeGeometry([0, 3, 4], em), undefined);
  });
});
