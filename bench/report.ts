/** The bench's table and the speed targets, as pure functions of the measured rows. */
import type { Workload } from './workloads';

/** A row of the table: a figure, or why there is none (`note`). Our impls are named `ours…`. */
export type Row = { workload: string; impl: string; samplesPerSec?: number; note?: string };

/** A samples/s figure for people: thousands separated, three digits below 100. */
export function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

/** Our best figure on a workload (over our backends). */
export function bestOurs(rows: Row[], workload: string): Row | undefined {
  return rows.filter((r) => r.workload === workload && r.impl.startsWith('ours') && r.samplesPerSec !== undefined)
    .sort((a, b) => b.samplesPerSec! - a.samplesPerSec!)[0];
}

/** The table: workload, impl, samples/s, and for each peer our best figure divided by theirs. */
export function formatTable(rows: Row[], workloads: readonly Pick<Workload, 'name'>[]): string {
  const lines: string[][] = [['workload', 'impl', 'samples/s', 'ours/theirs']];
  for (const w of workloads) {
    const ours = bestOurs(rows, w.name);
    for (const r of rows.filter((x) => x.workload === w.name)) {
      const isOurs = r.impl.startsWith('ours');
      const ratio = !isOurs && ours && r.samplesPerSec ? `${(ours.samplesPerSec! / r.samplesPerSec).toFixed(2)}× (${ours.impl})` : '';
      lines.push([w.name, r.impl, r.samplesPerSec !== undefined ? fmt(r.samplesPerSec) : (r.note ?? '—'), ratio]);
    }
  }
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const out = lines.map((l) => l.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
  out.splice(1, 0, widths.map((n) => '─'.repeat(n)).join('  '));
  return out.join('\n');
}

/** One of the speed targets, judged on a run's figures. */
export interface TargetVerdict {
  workload: string;
  target: string;
  verdict: 'MET' | 'NOT MET' | 'no figure of ours' | `no ${string} figure`;
  /** Ours / theirs, when both figures exist. */
  ratio?: number;
}

/** The issue-4 targets: [workload, peer, wording, minimum ours/theirs]. */
const TARGETS: [string, string, string, number][] = [
  ['tiny', 'pytorch-cpu', '≥ 10× PyTorch', 10],
  ['tiny', 'hand-js', 'within 30% of the hand-written loop', 0.7],
  ['playground', 'pytorch-cpu', '≥ 5× PyTorch', 5],
  ['mnist-like', 'tfjs-wasm', '≥ 2× TF.js-wasm', 2],
  ['wide', 'tfjs-wasm', '≥ 2× TF.js-wasm', 2],
];

/** Judges each target of the selected workloads. */
export function judgeTargets(rows: Row[], workloads: readonly Pick<Workload, 'name'>[]): TargetVerdict[] {
  return TARGETS.filter(([w]) => workloads.some((x) => x.name === w)).map(([workload, peer, target, factor]) => {
    const ours = bestOurs(rows, workload)?.samplesPerSec;
    const theirs = rows.find((r) => r.workload === workload && r.impl === peer)?.samplesPerSec;
    if (ours === undefined) return { workload, target, verdict: 'no figure of ours' };
    if (!theirs) return { workload, target, verdict: `no ${peer} figure` };
    const ratio = ours / theirs;
    return { workload, target, verdict: ratio >= factor ? 'MET' : 'NOT MET', ratio };
  });
}
