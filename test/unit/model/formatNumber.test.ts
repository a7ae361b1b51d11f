import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatNumber } from '../../../src/model';

const root = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('formatNumber (the host side\'s one number format)', () => {
  it('prints four significant digits without trailing zeros', () => {
    assert.equal(formatNumber(0.25), '0.25');
    assert.equal(formatNumber(0.123456), '0.1235');
    assert.equal(formatNumber(1), '1');
    assert.equal(formatNumber(-2.71828), '-2.718');
    assert.equal(formatNumber(12345.6), '12350');
    assert.equal(formatNumber(0), '0');
    assert.equal(formatNumber(-0), '0');
  });

  it('keeps the exponent form for tiny and huge values', () => {
    assert.equal(formatNumber(1.23456e-9), '1.235e-9');
    assert.equal(formatNumber(9.87654e25), '9.877e+25');
  });

  it('prints NaN and the infinities as themselves, so a diverging loss reads "NaN"', () => {
    assert.equal(formatNumber(Number.NaN), 'NaN');
    assert.equal(formatNumber(Number.POSITIVE_INFINITY), 'Infinity');
    assert.equal(formatNumber(Number.NEGATIVE_INFINITY), '-Infinity');
  });

  it('is the only significant-digits formatter of the CLI and the extension host', () => {
    const others = [...sourceFiles(path.join(root, 'src/cli')), ...sourceFiles(path.join(root, 'src/extension'))]
      .filter((f) => /function fmt\b|const fmt\b|\.toPrecision\(4\)/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    assert.deepEqual(others, []);
  });
});
