/**
 * The image views through the real IPC, as the extension host receives them: TrainerClient forks
 * the training process (src/trainer/main.ts through tsx), a digits convnet trains, and the image
 * grid (bytes), the filters and the feature maps (floats) arrive as typed arrays that pass the
 * host's checks; a feature-map request for a node without maps is answered with why.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainerClient } from '../../../src/extension/training/trainerClient';
import type { TrainingUpdate } from '../../../src/protocol';

const root = path.resolve(__dirname, '../../..');

describe('image views through the training process (IPC)', function () {
  this.timeout(60000);
  let client: TrainerClient;
  before(() => { client = new TrainerClient({ script: path.join(root, 'src/trainer/main.ts'), execArgv: ['--import', 'tsx'] }); });
  after(() => client.dispose());

  it('streams the image grid and filters as typed arrays and answers feature maps', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-images-ipc-'));
    const file = path.join(dir, 'digits-conv.nn');
    fs.copyFileSync(path.join(root, 'test/unit/trainer/fixtures/digits-conv.nn'), file);
    const job = { text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir] };
    const updates: TrainingUpdate[] = [];
    const done = new Promise<void>((resolve) => client.onUpdate((u) => { updates.push(u); if (u.kind === 'done' || u.kind === 'error' || u.kind === 'exited') resolve(); }));
    client.train({ runId: client.newRunId(), overrides: { backend: 'cpu', epochs: 2 }, ...job });
    await done;
    assert.equal(updates.at(-1)?.kind, 'done', JSON.stringify(updates.at(-1)));
    const grid = updates.find((u) => u.kind === 'images');
    assert.ok(grid?.kind === 'images' && grid.pixels instanceof Uint8Array && grid.pixels.length === grid.rows.length * 64, 'the grid arrives as bytes');
    const filters = updates.find((u) => u.kind === 'filters');
    assert.ok(filters?.kind === 'filters' && filters.data instanceof Float32Array && filters.data.length === 36);
    const maps = await client.request({ type: 'featureMaps', node: 'c1', row: grid.rows[0], ...job });
    assert.ok(maps.data instanceof Float32Array && maps.data.length === 144 && maps.image.pixels instanceof Uint8Array);
    assert.deepEqual(maps.shape, [6, 6, 4]);
    await assert.rejects(client.request({ type: 'featureMaps', node: 'y', row: 0, ...job }), /'y' outputs a vector of 10 values, not images/);
  });
});
