/** The PyTorch CPU peer: runs bench/peers/pytorch.py with Debian's /usr/bin/python3 (one thread). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Workload, WorkloadData } from '../workloads';

/** The Python that has torch on Debian (the first python3 on PATH may not see dist-packages). */
export const PYTHON = process.env.NN_BENCH_PYTHON ?? '/usr/bin/python3';

/** Why PyTorch cannot run here, or undefined when it can. */
export function pytorchUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'not installed (apt-get install python3-torch)';
  return undefined;
}

/** Samples per second of PyTorch training a workload on one CPU thread, or the reason it failed. */
export function benchPytorch(w: Workload, data: WorkloadData, budgetMs: number): number | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-bench-'));
  try {
    const xf = path.join(dir, 'x.f32');
    const yf = path.join(dir, 'y.f32');
    fs.writeFileSync(xf, new Uint8Array(data.x.buffer, data.x.byteOffset, data.x.byteLength));
    fs.writeFileSync(yf, new Uint8Array(data.y.buffer, data.y.byteOffset, data.y.byteLength));
    const script = path.join(__dirname, 'pytorch.py');
    const r = spawnSync(PYTHON, [script, JSON.stringify(w), xf, yf, String(budgetMs)], { encoding: 'utf8', timeout: budgetMs + 120_000 });
    if (r.error) return r.error.message;
    if (r.status !== 0) return `exit ${r.status}: ${r.stderr.trim().split('\n').pop()}`;
    const line = r.stdout.trim().split('\n').pop() ?? '';
    return (JSON.parse(line) as { samplesPerSec: number }).samplesPerSec;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
