/**
 * The training view's picture of an image network (in place of the decision boundary): the
 * validation images it was sent, mistakes first, each captioned "predicted / true" and framed in
 * the error colour when wrong. Clicking an image asks the gradients panel for its feature maps.
 */
import type { TrainingUpdate } from '../../../src/protocol';
import { classLabel, drawPicture } from '../../shared/imageDraw';

type Images = Extract<TrainingUpdate, { kind: 'images' }>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** The image grid; `onPick(row)` when the user clicks (or presses Enter on) an image. */
export class ImageGrid {
  readonly root = el('div', { class: 'nc-images', 'data-testid': 'image-grid', hidden: '' });
  private readonly summary = el('div', { class: 'grid-summary' });
  private readonly cells = el('div', { class: 'cells', role: 'list', 'aria-label': 'Validation images, mistakes first' });
  private picked?: number;

  constructor(private readonly onPick: (row: number) => void) {
    this.root.append(this.summary, this.cells);
    const pick = (e: Event): void => {
      const cell = (e.target as HTMLElement).closest('[data-row]');
      const row = cell ? Number(cell.getAttribute('data-row')) : NaN;
      if (!Number.isSafeInteger(row)) return;
      this.picked = row;
      for (const c of this.cells.querySelectorAll('.picked')) c.classList.remove('picked');
      cell?.classList.add('picked');
      this.onPick(row);
    };
    this.cells.addEventListener('click', pick);
    this.cells.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(e); } });
  }

  /** Shows `images` (undefined: hides the grid). */
  render(images: Images | undefined): void {
    this.root.hidden = !images;
    if (!images) return;
    const { total, wrong } = images;
    const pct = total > 0 ? ((100 * (total - wrong)) / total).toFixed(1) : '0';
    this.summary.replaceChildren(
      el('strong', {}, `${images.set === 'validation' ? 'Validation' : 'Training'} images`),
      ` · ${wrong.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} wrong (${pct}% right) · epoch ${images.epoch}`,
      el('div', { class: 'legend' }, 'mistakes first, framed: predicted / true · click one for its feature maps'),
    );
    const [h, w, c] = images.shape;
    const size = h * w * c;
    this.cells.replaceChildren(...images.rows.map((row, i) => {
      const wrongOne = images.actual[i] !== images.predicted[i];
      const canvas = el('canvas', { 'aria-hidden': 'true' });
      drawPicture(canvas, images.shape, images.pixels, i * size);
      const predicted = classLabel(images.classNames, images.predicted[i]), actual = classLabel(images.classNames, images.actual[i]);
      const label = `image ${row}: predicted ${predicted} (${Math.round(images.confidence[i] * 100)}%), true ${actual}`;
      return el('figure', {
        class: `cell${wrongOne ? ' wrong' : ''}${row === this.picked ? ' picked' : ''}`, role: 'listitem', tabindex: '0', 'data-row': String(row), title: `${label} — click for its feature maps`, 'aria-label': label,
      }, canvas, el('figcaption', {}, wrongOne ? `${predicted} / ${actual}` : predicted));
    }));
  }
}
