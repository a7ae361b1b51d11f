/** The bench's table, the issue's speed targets and the loss agreement, as pure functions of the measured rows. */
import { median, pairedRatios, spread } from './stats';
import type { Workload } from './workloads';

/**
 * A row of the table: a figure, or why there is none (`note`). `rounds` holds the figure of each
 * interleaved round (then `samplesPerSec` is their median); a row measured once has none.
 * Our impls are named `ours…`; `…-1t` / `…-2t` say the thread count.
 */
export type Row = { workload: string; impl: string; samplesPerSec?: number; note?: string; rounds?: (number | undefined)[] };

/** A samples/s figure for people: thousands separated, three digits below 100. */
export function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

/** The headline figure of ours a peer row is compared with: train() at the peer's thread count. */
export function oursFor(impl: string): string {
  if (impl === 'pytorch-cuda') return 'ours-webgpu-train';
  return impl.endsWith('-2t') ? 'ours-train-2t' : 'ours-train-1t';
}

/** Ours / theirs with its spread: the median of per-round ratios when both were measured in the same rounds, else the ratio of the figures. */
export function ratioOf(rows: Row[], workload: string, ours: string, theirs: string): { ratio: number; min: number; max: number; rounds: number } | undefined {
  const a = rows.find((r) => r.workload === workload && r.impl === ours);
  const b = rows.find((r) => r.workload === workload && r.impl === theirs);
  if (!a?.samplesPerSec || !b?.samplesPerSec) return undefined;
  const paired = a.rounds && b.rounds ? pairedRatios(a.rounds, b.rounds) : [];
  if (paired.length > 0) return { ratio: median(paired), ...spread(paired), rounds: paired.length };
  const r = a.samplesPerSec / b.samplesPerSec;
  return { ratio: r, min: r, max: r, rounds: 1 };
}

const x2 = (n: number): string => `${n.toFixed(2)}×`;

/** "1.23×" or "1.23× (1.10–1.40)" when the rounds disagree. */
function ratioText(r: { ratio: number; min: number; max: number; rounds: number }): string {
  return r.rounds > 1 && r.min.toFixed(2) !== r.max.toFixed(2) ? `${x2(r.ratio)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : x2(r.ratio);
}

/** The table: workload, impl, samples/s (median of the rounds), spread (min–max), and ours/theirs at the same thread count. */
export function formatTable(rows: Row[], workloads: readonly Pick<Workload, 'name'>[]): string {
  const lines: string[][] = [['workload', 'impl', 'samples/s', 'spread (min–max)', 'ours/theirs']];
  const notes = new Set<number>();
  for (const w of workloads) {
    for (const r of rows.filter((x) => x.workload === w.name)) {
      const figs = (r.rounds ?? []).filter((v): v is number => v !== undefined && Number.isFinite(v));
      const s = spread(figs);
      const spreadText = figs.length > 1 ? `${fmt(s.min)}–${fmt(s.max)} (${figs.length} rounds)` : '';
      const ours = oursFor(r.impl);
      const ratio = !r.impl.startsWith('ours') ? ratioOf(rows, w.name, ours, r.impl) : undefined;
      lines.push([w.name, r.impl, r.samplesPerSec !== undefined ? fmt(r.samplesPerSec) : (r.note ?? '—'), spreadText, ratio ? `${ratioText(ratio)} (${ours})` : '']);
      if (r.samplesPerSec === undefined && r.note) notes.add(lines.length - 1);
    }
  }
  // A note in place of a figure runs on past the columns rather than widening them.
  const widths = lines[0].map((_, c) => Math.max(...lines.filter((_l, i) => !notes.has(i)).map((l) => l[c].length)));
  const out = lines.map((l, i) =>
    (notes.has(i) ? [l[0].padEnd(widths[0]), l[1].padEnd(widths[1]), l[2]] : l.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))).join('  ').trimEnd());
  out.splice(1, 0, widths.map((n) => '─'.repeat(n)).join('  '));
  return out.join('\n');
}

/** One of the issue's speed targets, judged on a run's figures. */
export interface TargetVerdict {
  workload: string;
  target: string;
  verdict: 'MET' | 'NOT MET' | 'not run (workload not selected)' | `no ${string} figure`;
  /** Ours / theirs (median over the rounds), when both figures exist, with the rounds' spread. */
  ratio?: number;
  min?: number;
  max?: number;
}

/** A target: on `workload`, impl `ours` ≥ `factor` × impl `peer`. */
export interface Target {
  workload: Workload['name'];
  ours: string;
  peer: string;
  wording: string;
  factor: number;
}

/** The targets of issues 15 and 12, every one of them judged and printed on every run. */
export const TARGETS: readonly Target[] = [
  { workload: 'tiny', ours: 'ours-train-1t', peer: 'pytorch-1t', wording: '≥ 25× PyTorch, 1 thread', factor: 25 },
  { workload: 'tiny', ours: 'ours-train-1t', peer: 'hand-js', wording: '≥ 0.8× the hand-written loop', factor: 0.8 },
  { workload: 'playground', ours: 'ours-train-1t', peer: 'pytorch-1t', wording: '≥ 10× PyTorch, 1 thread', factor: 10 },
  { workload: 'mnist-like', ours: 'ours-train-1t', peer: 'pytorch-1t', wording: '≥ 0.8× PyTorch, 1 thread', factor: 0.8 },
  { workload: 'wide', ours: 'ours-train-1t', peer: 'pytorch-1t', wording: '≥ 0.8× PyTorch, 1 thread', factor: 0.8 },
  { workload: 'wide', ours: 'ours-train-2t', peer: 'ours-train-1t', wording: '2 threads ≥ 1.6× our 1-thread speed', factor: 1.6 },
  { workload: 'wide', ours: 'ours-webgpu-train', peer: 'pytorch-cuda', wording: 'WebGPU ≥ 0.5× PyTorch CUDA (real GPU)', factor: 0.5 },
  // Issue 12's convnet. TF.js-wasm runs single-threaded in Node (its threaded build is browser-only).
  { workload: 'cnn', ours: 'ours-train-1t', peer: 'tfjs-wasm', wording: '≥ 2× TF.js-wasm (1 thread)', factor: 2 },
  { workload: 'cnn', ours: 'ours-train-1t', peer: 'pytorch-1t', wording: '≥ 0.3× PyTorch, 1 thread', factor: 0.3 },
];

/** Judges every target: those of workloads not run are listed as such, never left out. */
export function judgeTargets(rows: Row[], workloads: readonly Pick<Workload, 'name'>[], targets: readonly Target[] = TARGETS): TargetVerdict[] {
  return targets.map(({ workload, ours, peer, wording, factor }): TargetVerdict => {
    const target = `${ours} ${wording}`;
    if (!workloads.some((x) => x.name === workload)) return { workload, target, verdict: 'not run (workload not selected)' };
    const has = (impl: string) => rows.some((r) => r.workload === workload && r.impl === impl && r.samplesPerSec);
    if (!has(ours)) return { workload, target, verdict: `no ${ours} figure` };
    if (!has(peer)) return { workload, target, verdict: `no ${peer} figure` };
    const r = ratioOf(rows, workload, ours, peer)!;
    return { workload, target, verdict: r.ratio >= factor ? 'MET' : 'NOT MET', ratio: r.ratio, min: r.min, max: r.max };
  });
}

/** A judged target as one line of the report. */
export function formatVerdict(t: TargetVerdict): string {
  const ratio = t.ratio !== undefined ? ` (${x2(t.ratio)}${t.min !== undefined && t.max !== undefined && t.min !== t.max ? `, rounds ${t.min.toFixed(2)}–${t.max.toFixed(2)}` : ''})` : '';
  return `${t.workload.padEnd(11)} ${t.target.padEnd(58)} ${t.verdict}${ratio}`;
}

/** Relative loss difference up to which ours and the peer are said to agree. */
export const LOSS_AGREEMENT = 1e-3;

/**
 * The loss agreement line of a workload: our per-epoch training losses against the peer's, both
 * from the same initial weights over the rows in the same order, compared after the last epoch
 * both ran.
 */
export function lossAgreement(w: Pick<Workload, 'name' | 'samples' | 'batch'>, ours: readonly number[] | undefined, theirs: readonly number[] | undefined, peer = 'PyTorch'): string {
  const head = `${w.name.padEnd(11)} `;
  const k = Math.min(ours?.length ?? 0, theirs?.length ?? 0);
  if (k === 0) return `${head}no loss to compare (${!ours?.length ? 'ours' : peer} reported none)`;
  const a = ours![k - 1], b = theirs![k - 1];
  const rel = Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
  const steps = k * Math.ceil(w.samples / w.batch);
  const verdict = Number.isFinite(rel) && rel <= LOSS_AGREEMENT ? 'agree' : `DIFFER (more than ${LOSS_AGREEMENT} relative)`;
  return `${head}after ${k} epoch(s), ${steps} steps: ours ${a.toPrecision(6)}, ${peer} ${b.toPrecision(6)}, relative difference ${rel.toExponential(1)}: ${verdict}`;
}

/** The load line: the 1-minute load average sampled before each round's figure. */
export function loadLine(samples: readonly number[], cores: number): string {
  if (samples.length === 0) return `load average: not sampled (${cores} cores)`;
  const s = spread(samples);
  const busy = median(samples) > cores * 0.5 ? '; other work competed for the cores, so figures are low and noisy' : '';
  return `load average (1 min) during the rounds: median ${median(samples).toFixed(1)}, ${s.min.toFixed(1)}–${s.max.toFixed(1)} on ${cores} cores${busy}`;
}
