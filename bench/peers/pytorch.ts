/**
 * The PyTorch CPU peer: bench/peers/pytorch.py run by Debian's /usr/bin/python3 as a long-lived
 * contender (bench/contender.ts), pinned to a thread count.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Contender } from '../contender';

/** The Python that has torch on Debian (the first python3 on PATH may not see dist-packages). */
export const PYTHON = process.env.NN_BENCH_PYTHON ?? '/usr/bin/python3';

/** Why PyTorch cannot run here, or undefined when it can. */
export function pytorchUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'not installed (apt-get install python3-torch)';
  return undefined;
}

/**
 * The environment that pins a PyTorch process to `threads` threads. torch.set_num_threads covers
 * PyTorch's own pool only; Debian's torch multiplies with OpenBLAS, which reads
 * OPENBLAS_NUM_THREADS (and OpenMP/MKL builds read theirs) when the library loads, so these must
 * be set before Python starts.
 */
export function pinnedThreadsEnv(threads: number): Record<string, string> {
  const n = String(threads);
  return { OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
}

/** Starts the PyTorch peer on `threads` threads, training on the CPU or (the GPU row) on CUDA. */
export function startPytorch(threads: number, device: 'cpu' | 'cuda' = 'cpu'): Contender {
  const name = device === 'cuda' ? 'pytorch-cuda' : `pytorch-${threads}t`;
  return Contender.start(name, PYTHON, [path.join(__dirname, 'pytorch.py'), String(threads), device], pinnedThreadsEnv(threads));
}

/** Why PyTorch cannot train on CUDA here, or undefined when it can. */
export function pytorchCudaUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 3)'], { encoding: 'utf8' });
  if (probe.error || probe.status === 1) return 'PyTorch is not installed';
  if (probe.status !== 0) return 'PyTorch sees no CUDA device';
  return undefined;
}
