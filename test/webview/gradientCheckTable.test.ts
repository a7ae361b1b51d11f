/**
 * The gradients panel's Check Gradients table in headless Chromium, with a real check of the
 * interview example (the training core, in-process): analytic and numerical gradients each in its
 * own column, one element a line, written alike so their digits line up. Screenshots light and dark.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FromTrainer, GradientCheckResult, ResponseMessage } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { PanelBrowser } from './panelHarness';

const root = path.resolve(__dirname, '../..');
const shots = [path.join(root, 'test-results/webview'), ...(process.env.NN_SHOTS_DIR ? [process.env.NN_SHOTS_DIR] : [])];

/** Check Gradients of an example, as the host asks the training process for it. */
async function check(example: string): Promise<GradientCheckResult> {
  const file = path.join(root, 'examples', example);
  let reply: ResponseMessage | undefined;
  const core = new TrainerCore((m: FromTrainer | ResponseMessage) => { if (m.type === 'response') reply = m; });
  core.receive({ type: 'checkGradients', requestId: 1, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [path.join(root, 'examples')] });
  for (let i = 0; i < 600 && !reply; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(reply?.ok, reply?.error);
  return reply.value as GradientCheckResult;
}

describe('Check Gradients table (Chromium)', function () {
  this.timeout(120000);
  const browser = new PanelBrowser();
  before(() => browser.start());
  after(() => browser.stop());

  for (const theme of ['light', 'dark'] as const) {
    it(`shows analytic and numerical gradients in separate, aligned columns (${theme})`, async () => {
      const result = await check('interview.nn');
      const p = await browser.open(theme, { width: 900, height: 360 });
      await p.post({ type: 'follow', file: 'interview.nn', layers: [], updates: [] });
      await p.post({ type: 'gradientCheck', result });
      await p.frames();
      const table = '[data-testid="gradient-check"] table';
      const heads = await p.page.$$eval(`${table} th`, (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(heads, ['tensor', 'checked', '‖analytic‖', '‖numerical‖', 'relative error', 'element', 'analytic', 'numerical']);
      const rows = await p.page.$$eval(`${table} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => [...td.querySelectorAll('div')].map((d) => d.textContent ?? ''))));
      assert.equal(rows.length, result.rows.length);
      for (const [i, r] of result.rows.entries()) {
        const [elements, analytic, numeric] = rows[i].slice(5);
        const shown = r.samples.slice(0, 3);
        assert.deepEqual(elements, shown.map((x) => `[${x.index}]`));
        // Each value on its own line, in one width: sign (or a figure space), five decimals, exponent.
        for (const [col, key] of [[analytic, 'analytic'], [numeric, 'numeric']] as const) {
          assert.equal(col.length, shown.length);
          for (const [k, text] of col.entries()) {
            assert.match(text, /^[\u2212\u2007]\d\.\d{5}e[+-]\d+$/);
            assert.ok(Math.abs(Number(text.replace('\u2212', '-').trim()) - shown[k][key]) <= Math.abs(shown[k][key]) * 1e-5 + 1e-30, `${text} is ${shown[k][key]}`);
          }
        }
        assert.doesNotMatch(rows[i].join(), /\|/);
      }
      // The two columns' values end at the same x (right-aligned) and each line is one element.
      const rights = (await p.page.evaluate(`[...document.querySelectorAll('${table} tbody tr:first-child td.gradient')].map((td) => [...td.querySelectorAll('div')].map((d) => {
        const range = document.createRange();
        range.selectNodeContents(d);
        return Math.round(range.getBoundingClientRect().right);
      }))`)) as number[][];
      for (const col of rights) assert.equal(new Set(col).size, 1, `right edges ${col}`);
      for (const dir of shots) {
        fs.mkdirSync(dir, { recursive: true });
        await p.page.screenshot({ path: path.join(dir, `gradient-check-${theme}.png`) });
      }
      assert.deepEqual(p.errors.filter((e) => !/favicon|404/.test(e)), []);
      await p.page.close();
    });
  }
});
