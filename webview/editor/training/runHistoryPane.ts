/**
 * The run history beside the training view's chart: the design's past runs (name.runs.jsonl),
 * newest first, each with a checkbox that overlays it on the loss chart in its own colour (the
 * newest is ticked when the list first arrives, so a new run is drawn against the last one), and
 * Restore, which makes its training settings the current ones (one undoable edit, by the host).
 * Lines of the file that could not be read are named, not hidden.
 */
import { runLabel, type LoggedRun } from '../../../src/model';
import type { TrainingUpdate } from '../../../src/protocol';
import type { SeriesSpec } from '../../shared/lineChart';
import { alignLines, LossCurves } from './lossCurves';

/** What Restore asks of the host: write `training` as the current settings; resolves whether the text changed. */
export type RestoreRun = (training: Record<string, unknown>) => Promise<{ changed: boolean }>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** The list and the chart's lines. */
export class RunHistoryPane {
  readonly curves = new LossCurves();
  readonly root = el('div', { class: 'nc-runs', role: 'region', 'data-testid': 'run-history', 'aria-label': 'Run history', hidden: '' });
  private readonly list = el('ul', { role: 'list' });
  private readonly head = el('div', { class: 'runs-head' });
  private readonly status = el('div', { class: 'runs-status', role: 'status' });
  private readonly warnings = el('div', { class: 'runs-warnings', 'data-testid': 'run-warnings' });
  private seriesKey = '';
  private listed = false;
  /** Set by the editor: how Restore reaches the host. */
  restore?: RestoreRun;

  /** `changed`: the lines to draw changed (the view redraws its chart). */
  constructor(private readonly changed: () => void) {
    this.root.append(this.head, this.list, this.status, this.warnings);
  }

  /** Whether the design has past runs (the view shows itself for them). */
  get hasRuns(): boolean {
    return this.curves.pastRuns.length > 0;
  }

  /** An update of the current run. */
  apply(u: TrainingUpdate): void {
    this.curves.apply(u);
  }

  /** The host's list of runs. */
  setRuns(file: string, runs: LoggedRun[], warnings: string[]): void {
    this.curves.setRuns(runs);
    if (!this.listed && runs.length > 0) this.curves.choose(runs[runs.length - 1].started, true);
    this.listed = true;
    this.root.hidden = runs.length === 0 && warnings.length === 0;
    this.head.textContent = `Runs · ${runs.length} in ${file} — tick to compare on the chart`;
    this.list.replaceChildren(...runs.map((r, i) => this.row(r, i)).reverse());
    this.warnings.hidden = warnings.length === 0;
    this.warnings.textContent = warnings.length ? `Skipped ${warnings.length} line(s) that could not be read: ${warnings.slice(0, 3).join(' ')}${warnings.length > 3 ? ' …' : ''}` : '';
    this.changed();
  }

  private row(run: LoggedRun, index: number): HTMLLIElement {
    const box = el('input', { type: 'checkbox', 'data-testid': 'run-toggle', 'aria-label': `Show run #${index + 1} on the chart` });
    box.checked = this.curves.selected.has(run.started);
    box.addEventListener('change', () => {
      this.curves.choose(run.started, box.checked);
      this.changed();
    });
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = this.curves.colour(run);
    const label = el('label', { title: settingsText(run) }, box, swatch, el('span', { class: 'label' }, runLabel(run, index)));
    const button = el('button', { type: 'button', class: 'restore', 'data-testid': 'run-restore', title: `Make run #${index + 1}'s training settings the current ones (undo with Ctrl+Z)` }, 'Restore');
    button.addEventListener('click', () => void this.restoreRun(run, index));
    return el('li', { 'data-started': run.started, class: `ended-${run.ended}` }, label, button);
  }

  private async restoreRun(run: LoggedRun, index: number): Promise<void> {
    if (!this.restore) return;
    this.status.classList.remove('error');
    try {
      const r = await this.restore(run.training);
      this.status.textContent = r.changed ? `Restored the settings of run #${index + 1} (Undo: Ctrl+Z).` : `Run #${index + 1}'s settings are already the current ones.`;
    } catch (e) {
      this.status.classList.add('error');
      this.status.textContent = e instanceof Error ? e.message : String(e);
    }
  }

  /** The chart's series and aligned data, and whether the series changed since the last call. */
  chartData(): { series: SeriesSpec[]; data: [number[], ...(number | null)[][]]; seriesChanged: boolean } {
    const lines = this.curves.lines();
    const series = lines.map((l) => ({ label: l.label, color: l.color, ...(l.dash ? { dash: l.dash } : {}) }));
    const key = JSON.stringify(series);
    const seriesChanged = key !== this.seriesKey;
    this.seriesKey = key;
    const { x, ys } = alignLines(lines);
    return { series, data: [x, ...ys], seriesChanged };
  }
}

/** A run's settings in a line, for its tooltip. */
function settingsText(run: LoggedRun): string {
  const t = JSON.stringify(run.training).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ');
  return `${run.started} · ${run.backend} · seed ${run.seed} · ${run.ended}: ${run.reason}\n${t}`;
}
