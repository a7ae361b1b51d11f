/** The webviews' one number format: what the training view and the gradients panel print. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatMetric } from '../../../webview/shared/formatMetric';

const root = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('formatMetric (the webviews\' one number format)', () => {
  it('prints 4 significant digits, the exponent form for tiny and huge values', () => {
    assert.equal(formatMetric(0.25), '0.2500');
    assert.equal(formatMetric(-2.71828), '-2.718');
    assert.equal(formatMetric(0), '0.000');
    assert.equal(formatMetric(0.000123), '1.23e-4');
    assert.equal(formatMetric(123456), '1.23e+5');
  });

  it('prints an em dash when there is nothing finite to show', () => {
    for (const v of [undefined, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatMetric(v), '—');
  });

  it('is the only significant-digits formatter of the webviews', () => {
    const others = sourceFiles(path.join(root, 'webview'))
      .filter((f) => path.relative(root, f) !== path.join('webview', 'shared', 'formatMetric.ts'))
      .filter((f) => /function fmt\b|const fmt\b|\.toPrecision\(4\)/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    assert.deepEqual(others, []);
  });
});
