/**
 * The Predict pane of the training view: one field per input, named after the feature (GPA,
 * Experience), the network's per-class probabilities as bars and the predicted class by name,
 * and, for two inputs, the point drawn on the decision boundary; clicking the boundary sets the
 * fields. Predictions come from the training process (the saved, else inline, weights) through
 * the host; every problem (no weights yet, a field that is not a number) is said in the pane.
 */
import type { PredictInfo, PredictPane as PaneMessage } from '../../../src/protocol';
import predictCss from './predict.css';
import { canvasToPlane, fromPlane, planeToCanvas, readInputs, readOutputs, toPlane } from './predictModel';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** How the pane reaches the host: one row's prediction, and fresh names and weights (with a boundary that takes in `inputs`). */
export interface PredictLink {
  predict(inputs: number[]): Promise<{ outputs: number[]; source: string }>;
  refresh(inputs?: number[]): void;
}

type Extent = [number, number, number, number];

/** What the pane shows, in words (the editor's test probe). */
export interface PredictShown {
  open: boolean;
  fields: string[];
  values: string[];
  bars: string[];
  predicted: string;
  error: string;
  point: boolean;
}

/** The pane; the training view places `root` and draws `point` over its boundary. */
export class PredictPane {
  readonly root = el('section', { class: 'nc-predict', 'aria-label': 'Predict', 'data-testid': 'predict-pane', hidden: '' });
  private readonly fields = el('div', { class: 'fields' });
  private readonly button = el('button', { type: 'button', class: 'go', 'data-testid': 'predict-run' }, 'Predict');
  private readonly bars = el('div', { class: 'bars', 'data-testid': 'predict-bars', role: 'list', 'aria-label': 'Probability of each class' });
  private readonly verdict = el('div', { class: 'verdict', role: 'status', 'aria-live': 'polite', 'data-testid': 'predict-class' });
  private readonly problem = el('div', { class: 'problem', role: 'alert', 'data-testid': 'predict-error', hidden: '' });
  private readonly note = el('div', { class: 'note', 'data-testid': 'predict-source' });
  private readonly hint = el('div', { class: 'hint', 'data-testid': 'predict-hint', hidden: '' });
  private inputs: HTMLInputElement[] = [];
  private info?: PredictInfo;
  /** The last prediction's inputs as a key, so a late answer to an older row is dropped. */
  private asked = 0;
  private timer?: ReturnType<typeof setTimeout>;
  /** Inputs a refresh was asked for (so a point off the plane asks once). */
  private refreshedFor = '';
  /** The point of the typed values on the boundary's plane (two inputs, all numbers). */
  point?: [number, number];
  /** Bumped whenever what is drawn over the boundary changes. */
  version = 0;
  link?: PredictLink;
  /** Told when the pane opens or closes or its point moves (the view lays out and redraws). */
  onChange: () => void = () => {};
  /** Told what the pane shows after each change (the editor reports it to the host for tests). */
  onRendered?: (shown: PredictShown) => void;
  /** Whether the point was last drawn on the boundary. */
  private pointDrawn = false;

  constructor() {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(predictCss);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Close the Predict pane', title: 'Close (Escape)', 'data-testid': 'predict-close' }, el('span', { class: 'codicon codicon-close', 'aria-hidden': 'true' }));
    close.addEventListener('click', () => this.close());
    this.button.addEventListener('click', () => this.run(true));
    this.fields.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(false), 250);
    });
    this.fields.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this.run(true); } });
    this.root.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); this.close(); } });
    this.root.append(el('header', {}, el('span', { class: 'title' }, 'Predict'), this.note, close), this.fields, this.problem, this.bars, this.verdict, this.hint);
  }

  /** Whether the pane shows. */
  get open(): boolean {
    return !this.root.hidden;
  }

  /** The values in the fields as typed. */
  get texts(): string[] {
    return this.inputs.map((i) => i.value);
  }

  /** The fields' values when each holds a number, else undefined. */
  values(): number[] | undefined {
    const read = this.info ? readInputs(this.texts, this.info.features) : undefined;
    return read && 'values' in read && read.values.length > 0 ? read.values : undefined;
  }

  /** The host opened or refreshed the pane. */
  show(m: PaneMessage): void {
    const names = m.info.features;
    const same = this.info && this.info.features.join('\n') === names.join('\n');
    const old = same ? this.texts : [];
    this.info = m.info;
    if (!same) this.buildFields(names);
    const given = m.inputs?.length === names.length ? m.inputs.map(String) : old;
    this.inputs.forEach((input, i) => { input.value = given[i] ?? ''; });
    this.note.textContent = m.info.source ? `weights: ${m.info.source}` : '';
    this.button.disabled = names.length === 0;
    this.hint.hidden = names.length !== 2 || !m.info.boundary;
    this.hint.textContent = names.length === 2 ? `On the boundary, ${names[0]} runs left to right and ${names[1]} bottom to top: click it to predict there.` : '';
    if (m.open) {
      this.root.hidden = false;
      this.inputs[0]?.focus();
    }
    if (m.error) this.showProblem(m.error);
    else if (m.outputs) this.showOutputs(m.outputs, m.source);
    else if (m.info.problem) this.showProblem(m.info.problem);
    else if (this.inputs.length && this.inputs.every((i) => i.value.trim() !== '')) this.run(false);
    else this.clearResult();
    this.place();
  }

  /** Hides the pane. */
  close(): void {
    this.root.hidden = true;
    this.place();
    this.report();
  }

  /** Sets the fields to the boundary point under canvas pixel (x, y) and predicts there. */
  pick(x: number, y: number, extent: Extent, side: number): void {
    if (!this.info || this.inputs.length !== 2) return;
    const [a, b] = fromPlane(canvasToPlane(x, y, extent, side), this.info.scale, extent);
    this.inputs[0].value = String(a);
    this.inputs[1].value = String(b);
    this.root.hidden = false;
    this.run(true);
  }

  /** Listens to clicks on the boundary canvas (`extent()`: the plane it shows, if any). */
  attachBoundary(canvas: HTMLCanvasElement, side: number, extent: () => Extent | undefined): void {
    canvas.addEventListener('click', (e) => {
      const ex = extent();
      if (!ex || !this.open) return;
      const r = canvas.getBoundingClientRect();
      this.pick(((e.clientX - r.left) / r.width) * side, ((e.clientY - r.top) / r.height) * side, ex, side);
    });
  }

  /** Draws the pane's point over the boundary just painted (a ring, clamped to the edge when it lies off the plane). */
  drawPoint(canvas: HTMLCanvasElement, side: number, extent: Extent | undefined): void {
    canvas.classList.toggle('pickable', this.open && this.inputs.length === 2);
    canvas.title = this.open && this.inputs.length === 2 ? `Click to predict at that ${this.info?.features.join(', ') ?? ''}` : '';
    this.pointDrawn = false;
    if (!this.open || !this.point || !extent) return this.report();
    const at = planeToCanvas(this.point, extent, side);
    this.pointDrawn = at.inside;
    if (!at.inside && this.info?.boundary && this.refreshedFor !== this.texts.join(',')) {
      // The pane's own plane: ask for one that takes the point in.
      this.refreshedFor = this.texts.join(',');
      const read = readInputs(this.texts, this.info.features);
      if ('values' in read) this.link?.refresh(read.values);
    }
    const x = Math.min(side - 5, Math.max(5, at.x)), y = Math.min(side - 5, Math.max(5, at.y));
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    ctx.save();
    ctx.setLineDash(at.inside ? [] : [2, 2]);
    for (const [r, w, colour] of [[6, 3, '#000'], [6, 1.5, '#fff']] as const) {
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.lineWidth = w;
      ctx.strokeStyle = colour;
      ctx.stroke();
    }
    ctx.beginPath();
    ctx.arc(x, y, 1.5, 0, Math.PI * 2);
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.restore();
    this.report();
  }

  /** Tells `onRendered` what the pane shows now. */
  report(): void {
    this.onRendered?.({
      open: this.open, fields: this.info?.features.slice() ?? [], values: this.texts,
      bars: [...this.bars.querySelectorAll('.bar')].map((b) => b.getAttribute('aria-label') ?? ''),
      predicted: this.verdict.querySelector('strong')?.textContent ?? '', error: this.problem.hidden ? '' : this.problem.textContent ?? '', point: this.open && this.pointDrawn,
    });
  }

  private buildFields(names: readonly string[]): void {
    this.inputs = names.map((name, i) => el('input', { type: 'text', inputmode: 'decimal', spellcheck: 'false', 'aria-label': name, 'data-feature': name, 'data-testid': `predict-input-${i}` }));
    this.fields.replaceChildren(...names.map((name, i) => el('label', {}, el('span', { class: 'name', title: name }, name), this.inputs[i])), this.button);
  }

  /** Reads the fields and asks for a prediction (`now`: the user asked, so an empty field is an error too). */
  private run(now: boolean): void {
    clearTimeout(this.timer);
    const info = this.info;
    if (!info || !this.link) return;
    if (info.problem && info.features.length === 0) return this.showProblem(info.problem);
    const read = readInputs(this.texts, info.features);
    this.inputs.forEach((input, i) => input.setAttribute('aria-invalid', String('error' in read && read.field === i)));
    if ('error' in read) {
      this.setPoint(undefined);
      if (now || this.texts[read.field].trim() !== '') this.showProblem(read.error);
      return;
    }
    this.setPoint(read.values.length === 2 ? toPlane(read.values, info.scale) : undefined);
    const ticket = ++this.asked;
    this.link.predict(read.values).then(
      (r) => { if (ticket === this.asked) this.showOutputs(r.outputs, r.source); },
      (e: unknown) => { if (ticket === this.asked) this.showProblem(e instanceof Error ? e.message : String(e)); },
    );
  }

  private setPoint(point: [number, number] | undefined): void {
    if (point?.[0] === this.point?.[0] && point?.[1] === this.point?.[1]) return;
    this.point = point;
    this.place();
  }

  private showOutputs(outputs: number[], source?: string): void {
    const info = this.info;
    if (!info) return;
    if (source) this.note.textContent = `weights: ${source}`;
    this.problem.hidden = true;
    const read = readOutputs(outputs, info);
    this.bars.replaceChildren(...read.bars.map((b) => {
      const pct = `${(b.p * 100).toFixed(1)}%`;
      const fill = el('span', { class: 'fill' });
      fill.style.width = `${Math.max(0, Math.min(100, b.p * 100))}%`;
      return el('div', { class: `bar${b.name === read.predicted ? ' predicted' : ''}`, role: 'listitem', 'aria-label': `${b.name}: ${pct}`, 'data-class': b.name },
        el('span', { class: 'name', title: b.name }, b.name), el('span', { class: 'track' }, fill), el('span', { class: 'pct' }, pct));
    }));
    this.verdict.replaceChildren(...(read.predicted ? [el('span', {}, 'Predicted: '), el('strong', {}, read.predicted), ' · '] : []), el('span', { class: 'values' }, read.values));
    this.report();
    const read2 = readInputs(this.texts, info.features);
    if ('values' in read2 && read2.values.length === 2) this.setPoint(toPlane(read2.values, info.scale));
  }

  private showProblem(text: string): void {
    this.problem.hidden = false;
    this.problem.textContent = text;
    this.clearResult();
  }

  private clearResult(): void {
    this.bars.replaceChildren();
    this.verdict.replaceChildren();
    this.report();
  }

  /** Something drawn over the boundary or the pane's place changed. */
  private place(): void {
    this.version++;
    this.onChange();
  }
}
