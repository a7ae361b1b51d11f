/**
 * The training view's header in headless Chromium (real editor bundle, updates from the real
 * training core): after a run it says where the run ended; after Step it says "stepped" with the
 * epoch and step the batch left — never "starting on cpu", "0 samples/s" or "0 params" — and
 * counts on with the next Step; Reset Weights clears the chart, the boundary and the "continuing
 * from" note. Screenshots of the header after Step and after Reset, light and dark.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FromTrainer, ResponseMessage, TrainingUpdate } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { editorSuite, readRepoFile } from './editorHarness';
import { encodeTyped } from './panelHarness';

const root = path.resolve(__dirname, '../..');
const fixture = 'test/unit/trainer/fixtures/spiral.nn';
const shots = [path.join(root, 'test-results/webview'), ...(process.env.NN_SHOTS_DIR ? [process.env.NN_SHOTS_DIR] : [])];
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

/** The training core in-process, on a copy of the fixture; `updates` collects what it streams. */
class Trainer {
  readonly updates: TrainingUpdate[] = [];
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-header-'));
  readonly file = path.join(this.dir, 'spiral.nn');
  private readonly replies = new Map<number, (m: ResponseMessage) => void>();
  private readonly core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
    if (m.type === 'update') this.updates.push(m.update);
    else if (m.type === 'response') this.replies.get(m.requestId)?.(m);
  });
  private requestId = 0;

  constructor() {
    fs.copyFileSync(path.join(root, fixture), this.file);
  }

  /** A short CPU run (resolves when it is done); returns its updates. */
  async train(runId: number, epochs: number): Promise<TrainingUpdate[]> {
    const from = this.updates.length;
    this.core.receive({ type: 'train', runId, overrides: { backend: 'cpu', epochs }, eventEveryMs: 20, text: fs.readFileSync(this.file, 'utf8'), file: this.file, allowedRoots: [this.dir] });
    await new Promise((r) => setTimeout(r, 50));
    await this.core.idle();
    return this.updates.slice(from);
  }

  /** One Step, as the host asks for it; returns its updates. */
  async step(runId: number): Promise<TrainingUpdate[]> {
    const from = this.updates.length;
    const requestId = ++this.requestId;
    const answered = new Promise<ResponseMessage>((r) => this.replies.set(requestId, r));
    this.core.receive({ type: 'step', requestId, runId, text: fs.readFileSync(this.file, 'utf8'), file: this.file, allowedRoots: [this.dir] });
    const reply = await answered;
    assert.ok(reply.ok, reply.error);
    return this.updates.slice(from);
  }

  /** What the host tells the core on Reset Weights: the next Step starts a new session. */
  resetStep(): void {
    this.core.receive({ type: 'resetStep' });
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

async function post(page: Page, updates: TrainingUpdate[]): Promise<void> {
  const msgs = updates.map((update) => encodeTyped({ type: 'training', update }));
  await page.evaluate(`(() => { ${REVIVE} for (const m of ${JSON.stringify(msgs)}) window.postMessage(__revive(m), '*'); })()`);
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))))');
}

async function header(page: Page): Promise<string> {
  return (await page.textContent('[data-testid="training-stats"]')) ?? '';
}

async function screenshot(page: Page, name: string): Promise<void> {
  for (const dir of shots) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, name) });
  }
}

describe('training view header: Train, Step, Reset (Chromium)', function () {
  this.timeout(120000);
  const browser = editorSuite();

  for (const theme of ['light', 'dark'] as const) {
    it(`says where a run ended, "stepped" after Step, and nothing of the old weights after Reset (${theme})`, async () => {
      const trainer = new Trainer();
      try {
        const host = await browser.open(readRepoFile(fixture), { theme, width: 1400, height: 900, fileName: 'spiral.nn' });
        const page = host.page;
        await host.rendered();

        // A whole run: the header says where it ended, not where the last throttled progress was.
        const run = await trainer.train(1, 3);
        const done = run.find((u) => u.kind === 'done');
        assert.equal(done?.kind === 'done' && done.stopped, 'completed');
        await post(page, run);
        assert.match(await header(page), /^completed · epoch 3\/3 · step (\d+)\/\1 · [\d,]+ samples\/s · cpu · 337 params$/);

        // Step (the core starts a stepping session from the saved weights): "stepped", no speed.
        await post(page, await trainer.step(2));
        const first = await header(page);
        assert.match(first, /^stepped · epoch 1\/100000 · step 1\/\d+ · cpu · 337 params$/);
        assert.doesNotMatch(first, /starting|samples\/s|\b0 params/);
        assert.match(await page.textContent('[data-testid="training"] .nc-notices') ?? '', /continuing from spiral\.weights\.safetensors/);
        await post(page, await trainer.step(3));
        assert.match(await header(page), /^stepped · epoch 1\/100000 · step 2\/\d+ · cpu · 337 params$/);
        assert.equal(await page.isVisible('[data-testid="boundary"]'), true, 'the boundary of the stepped weights');
        await screenshot(page, `training-header-step-${theme}.png`);

        // Reset Weights: the view keeps nothing of the old weights.
        await post(page, [{ kind: 'reset', runId: 0, message: 'Weights reset: spiral.weights.safetensors was deleted; the next run starts from fresh weights.' }]);
        assert.equal(await header(page), 'weights reset');
        assert.match(await page.textContent('[data-testid="training"] .outcome') ?? '', /^Weights reset: spiral\.weights\.safetensors was deleted/);
        assert.equal(await page.textContent('[data-testid="training"] .nc-notices'), '', 'no "continuing from" note');
        assert.equal(await page.isVisible('[data-testid="boundary"]'), false, 'no boundary of the old weights');
        assert.equal(await page.isVisible('[data-testid="loss-chart"] canvas'), false, 'no chart of the old run');
        const state = (await page.evaluate('(() => { const s = window.neuralCanvasTraining.state; return { steps: s.steps.length, metrics: Object.keys(s.metrics).length }; })()')) as { steps: number; metrics: number };
        assert.deepEqual(state, { steps: 0, metrics: 0 });
        await screenshot(page, `training-header-reset-${theme}.png`);

        // The next Step starts from fresh weights, counting from one again.
        fs.rmSync(path.join(trainer.dir, 'spiral.weights.safetensors'));
        trainer.resetStep();
        await post(page, await trainer.step(4));
        assert.match(await header(page), /^stepped · epoch 1\/100000 · step 1\/\d+ · cpu · 337 params$/);
        assert.equal(await page.textContent('[data-testid="training"] .nc-notices'), '', 'fresh weights: nothing to continue from');
      } finally {
        trainer.dispose();
      }
    });
  }
});
