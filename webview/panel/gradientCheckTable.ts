/**
 * The Check Gradients table: per parameter tensor the elements compared, both norms and the
 * relative error, then a few elements with the analytic and the numerical gradient in their own
 * right-aligned columns, one element a line, written alike (sign, five decimals, exponent) so
 * digits line up and a difference shows at a glance.
 */
import type { GradientCheckResult } from '../../src/protocol';
import { formatMetric } from '../shared/formatMetric';

/** Elements shown per tensor. */
export const CHECK_SAMPLES = 3;

const FIGURE_SPACE = '\u2007';

/** A gradient for the table: "−1.23457e-2" / " 4.00000e-1" (a figure space where the minus would be). */
export function formatGradient(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return `${v < 0 || Object.is(v, -0) ? '\u2212' : FIGURE_SPACE}${Math.abs(v).toExponential(5)}`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A cell of one line per value. */
function lines(values: string[], cls: string): HTMLTableCellElement {
  return el('td', { class: cls }, ...values.map((v) => el('div', {}, v)));
}

/** The heading, what was differentiated, and the table. */
export function gradientCheckTable(c: GradientCheckResult): HTMLElement[] {
  const rows = c.rows.map((r) => {
    const samples = r.samples.slice(0, CHECK_SAMPLES);
    return el('tr', {},
      el('td', {}, r.tensor), el('td', {}, String(r.checked)), el('td', {}, formatMetric(r.analyticNorm)), el('td', {}, formatMetric(r.numericNorm)),
      el('td', { class: r.relativeError < 1e-3 ? 'good' : 'bad' }, r.relativeError.toExponential(2)),
      lines(samples.map((x) => `[${x.index}]`), 'element'),
      lines(samples.map((x) => formatGradient(x.analytic)), 'gradient'),
      lines(samples.map((x) => formatGradient(x.numeric)), 'gradient'));
  });
  return [
    el('h3', {}, `Check Gradients — ${c.file}`),
    el('div', { class: 'status' }, c.what),
    el('table', { 'aria-label': 'Gradient check', class: 'check' },
      el('thead', {}, el('tr', {},
        el('th', {}, 'tensor'), el('th', {}, 'checked'), el('th', {}, '‖analytic‖'), el('th', {}, '‖numerical‖'), el('th', {}, 'relative error'),
        el('th', { title: 'Index of the element in the flattened tensor' }, 'element'), el('th', {}, 'analytic'), el('th', {}, 'numerical'))),
      el('tbody', {}, ...rows)),
  ];
}
