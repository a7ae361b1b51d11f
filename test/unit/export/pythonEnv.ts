/**
 * Finds the Python that can run the exported scripts (Debian's /usr/bin/python3 with
 * python3-torch) and runs it. Without torch the tests fail under CI with the install hint, and
 * may be skipped locally only when NN_SKIP_TORCH=1 says so, loudly.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's interpreter: the `python3` first on PATH here may be another one that cannot see torch. */
export const PYTHON = process.env.NN_PYTHON ?? '/usr/bin/python3';

let torchState: 'ok' | string | undefined;

/** Whether PYTHON imports torch; the reason when it does not. */
export function torchProblem(): string | undefined {
  if (torchState === undefined) {
    if (!existsSync(PYTHON)) torchState = `${PYTHON} does not exist`;
    else {
      const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
      torchState = r.status === 0 ? 'ok' : `${PYTHON} cannot import torch: ${(r.stderr || '').trim().split('\n').pop()}`;
    }
  }
  return torchState === 'ok' ? undefined : torchState;
}

/** Call in a `before` hook: throws (CI, or by default) or skips (NN_SKIP_TORCH=1) when torch is missing. */
export function requireTorch(ctx: Mocha.Context): void {
  const problem = torchProblem();
  if (!problem) return;
  const hint = `${problem}. Install it with: sudo apt-get install -y python3-torch python3-numpy`;
  if (process.env.CI !== 'true' && process.env.NN_SKIP_TORCH === '1') {
    process.stderr.write(`\n!!!!! SKIPPING the PyTorch export tests (NN_SKIP_TORCH=1): ${hint} !!!!!\n\n`);
    ctx.skip();
  }
  throw new Error(hint);
}

/** Runs PYTHON (or another executable) with args; throws with its stderr when it fails. */
export function runPython(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; exe?: string; timeoutMs?: number }): string {
  const r: SpawnSyncReturns<string> = spawnSync(opts.exe ?? PYTHON, args, {
    cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000,
    // One thread per process: the machine is shared and tiny tensors gain nothing from more.
    env: { ...process.env, OMP_NUM_THREADS: '1', ...opts.env },
  });
  if (r.status !== 0) throw new Error(`${opts.exe ?? PYTHON} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** The torchrun launcher: /usr/bin/torchrun, else `python3 -m torch.distributed.run`. */
export function torchrun(): { exe: string; prefix: string[] } {
  if (existsSync('/usr/bin/torchrun')) return { exe: '/usr/bin/torchrun', prefix: [] };
  return { exe: PYTHON, prefix: ['-m', 'torch.distributed.run'] };
}

/** Python's version string, for messages. */
export function pythonVersion(): string {
  return execFileSync(PYTHON, ['--version'], { encoding: 'utf8' }).trim();
}
