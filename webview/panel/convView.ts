/**
 * The gradients panel's section for image networks: the first conv layer's filters as small
 * images, one snapshot per epoch with a slider over the run; and the feature maps of the chosen
 * conv node for the chosen image (picked from a strip of the grid's images, by number, or by
 * clicking an image in the editor's training view).
 */
import { classLabel, drawFeatureMap, drawFilter, drawPicture, valueRange } from '../shared/imageDraw';
import { formatMetric } from '../shared/formatMetric';
import type { ConvState } from './convState';

/** Images of the grid offered in the panel's strip. */
const STRIP_IMAGES = 16;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** The section; `onPickRow` when the user picks an image (the panel then asks for its maps). */
export class ConvView {
  readonly root = el('section', { class: 'conv', 'data-testid': 'conv-views', hidden: '' });
  private readonly filtersTitle = el('h3');
  private readonly slider = el('input', { type: 'range', min: '0', max: '0', step: '1', 'aria-label': 'Epoch of the filters shown' });
  private readonly sliderLabel = el('span', { class: 'slider-label' });
  private readonly filters = el('div', { class: 'filters', 'data-testid': 'filters' });
  private readonly mapsTitle = el('h3');
  private readonly strip = el('div', { class: 'strip', role: 'list', 'aria-label': 'Images of the grid' });
  private readonly rowInput = el('input', { type: 'number', min: '0', step: '1', 'aria-label': 'Image number', class: 'row-input' });
  private readonly maps = el('div', { class: 'fmaps', 'data-testid': 'feature-maps' });
  private readonly mapsCaption = el('div', { class: 'caption' });
  private drawn: { filter?: unknown; images?: unknown; maps?: unknown; row?: number; error?: string } = {};

  constructor(private readonly state: ConvState, private readonly onChange: () => void) {
    this.root.append(
      this.filtersTitle, el('div', { class: 'slider' }, this.slider, this.sliderLabel), this.filters,
      this.mapsTitle, el('div', { class: 'pick' }, this.strip, el('label', {}, 'image ', this.rowInput)), this.maps, this.mapsCaption,
    );
    this.slider.addEventListener('input', () => {
      const i = Number(this.slider.value);
      state.shownFilter = i >= state.filters.length - 1 ? undefined : i;
      onChange();
    });
    const pick = (e: Event): void => {
      const row = Number((e.target as HTMLElement).closest('[data-row]')?.getAttribute('data-row'));
      if (Number.isSafeInteger(row)) { state.pickRow(row); onChange(); }
    };
    this.strip.addEventListener('click', pick);
    this.strip.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(e); } });
    this.rowInput.addEventListener('change', () => {
      const row = Number(this.rowInput.value);
      const total = state.images?.total ?? Infinity;
      if (Number.isSafeInteger(row) && row >= 0 && row < total) { state.pickRow(row); onChange(); }
    });
  }

  /** Draws what changed. */
  render(): void {
    const s = this.state;
    this.root.hidden = !s.active;
    if (!s.active) return;
    this.renderFilters();
    this.renderPicker();
    this.renderMaps();
  }

  private renderFilters(): void {
    const s = this.state;
    const f = s.filter;
    const n = s.filters.length;
    this.slider.max = String(Math.max(0, n - 1));
    this.slider.value = String(s.shownFilter ?? n - 1);
    this.slider.disabled = n < 2;
    if (!f) {
      this.filtersTitle.textContent = 'Filters: no conv layer';
      this.sliderLabel.textContent = '';
      this.filters.replaceChildren();
      return;
    }
    const [count, kh, kw, c] = f.shape;
    this.filtersTitle.textContent = `Filters of ${f.node} (first conv layer): ${f.of} × ${kh}×${kw}×${c}${f.of > count ? `, first ${count} shown` : ''}`;
    this.sliderLabel.textContent = `epoch ${f.epoch}${s.shownFilter === undefined ? ' (latest)' : ''} · ${n} snapshot${n === 1 ? '' : 's'}`;
    if (f === this.drawn.filter) return;
    this.drawn.filter = f;
    this.filters.replaceChildren(...Array.from({ length: count }, (_, i) => {
      const cv = el('canvas', { title: `${f.node} filter ${i}`, 'aria-label': `filter ${i}` });
      drawFilter(cv, f.data, f.shape, i);
      return cv;
    }));
  }

  private renderPicker(): void {
    const s = this.state;
    this.mapsTitle.textContent = s.mapsNode ? `Feature maps of ${s.mapsNode}${s.row !== undefined ? ` · image ${s.row}` : ''}` : 'Feature maps: select a conv node in the graph';
    if (document.activeElement !== this.rowInput) this.rowInput.value = s.row === undefined ? '' : String(s.row);
    if (s.images) this.rowInput.max = String(s.images.total - 1);
    if (s.images === this.drawn.images && s.row === this.drawn.row) return;
    this.drawn.images = s.images;
    this.drawn.row = s.row;
    const g = s.images;
    if (!g) { this.strip.replaceChildren(); return; }
    const size = g.shape[0] * g.shape[1] * g.shape[2];
    this.strip.replaceChildren(...g.rows.slice(0, STRIP_IMAGES).map((row, i) => {
      const cv = el('canvas', { 'aria-hidden': 'true' });
      drawPicture(cv, g.shape, g.pixels, i * size);
      const wrong = g.actual[i] !== g.predicted[i];
      return el('span', { class: `thumb${wrong ? ' wrong' : ''}${row === s.row ? ' picked' : ''}`, role: 'listitem', tabindex: '0', 'data-row': String(row), title: `image ${row}: predicted ${classLabel(g.classNames, g.predicted[i])}, true ${classLabel(g.classNames, g.actual[i])}` }, cv);
    }));
  }

  private renderMaps(): void {
    const s = this.state;
    const m = s.maps;
    if (m === this.drawn.maps && s.mapsError === this.drawn.error) return;
    this.drawn.maps = m;
    this.drawn.error = s.mapsError;
    this.maps.classList.toggle('error', !m && !!s.mapsError);
    if (!m) {
      this.maps.replaceChildren(s.mapsError ? el('div', { class: 'bad', role: 'status' }, s.mapsError) : el('div', { class: 'hint' }, s.asking ? 'computing…' : 'Pick an image to see what each filter of the node responds to.'));
      this.mapsCaption.textContent = '';
      return;
    }
    const [h, w, c] = m.shape;
    const { lo, hi } = valueRange(m.data);
    const input = el('canvas', { class: 'input', title: `image ${m.row}`, 'aria-label': `input image ${m.row}` });
    drawPicture(input, m.image.shape, m.image.pixels);
    const cells = Array.from({ length: c }, (_, ch) => {
      const cv = el('canvas', { title: `${m.node} map ${ch}`, 'aria-label': `feature map ${ch}` });
      drawFeatureMap(cv, m.data, m.shape, ch, Math.min(0, lo), hi);
      return cv;
    });
    this.maps.replaceChildren(el('figure', { class: 'input' }, input, el('figcaption', {}, 'input')), el('div', { class: 'cells' }, ...cells));
    const names = s.images?.classNames ?? [];
    const verdict = m.predicted !== undefined && m.actual !== undefined ? ` · predicted ${classLabel(names, m.predicted)}, true ${classLabel(names, m.actual)}${m.predicted === m.actual ? '' : ' (wrong)'}` : '';
    this.mapsCaption.textContent = `${m.node}: ${c} maps of ${h}×${w} · black ${formatMetric(Math.min(0, lo))} … white ${formatMetric(hi)}${verdict} · ${m.source}`;
  }
}
