import type { Workload } from '../../../bench/workloads';

/**
 * A small image workload (H ≠ W, two channels, two convolutions and a pooling), so the layouts
 * (ours [filters, kh, kw, c], TF.js [kh, kw, c, filters], PyTorch [filters, c, kh, kw] and NCHW)
 * and the flatten order are checked without cnn-sized work:
 * 9×8×2 → conv 3 3×3 → 7×6×3 → maxpool 2 → 3×3×3 → conv 4 2×2 → 2×2×4 → flatten 16.
 */
export const SMALL_IMAGE: Workload = {
  name: 'cnn', inputs: 9 * 8 * 2, image: [9, 8, 2],
  features: [{ type: 'conv2d', filters: 3, kernelSize: 3, activation: 'relu' }, { type: 'maxpool2d', poolSize: 2 }, { type: 'conv2d', filters: 4, kernelSize: 2, activation: 'tanh' }],
  layers: [{ units: 5, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  samples: 32, batch: 8, learningRate: 0.1, loss: 'categorical_crossentropy', data: 'teacher',
};
