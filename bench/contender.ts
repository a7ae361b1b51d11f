/**
 * A contender of the interleaved rounds: a long-lived child process (our train() worker or the
 * PyTorch peer) that reads one JSON request a line on stdin and answers one JSON line on stdout.
 * Long-lived, so a round costs the measurement only, not a process start and an import of torch.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';
import type { Workload } from './workloads';

/** What a contender is asked: train `workload` on the data in the files for about `budgetMs`. */
export interface RoundRequest {
  /** 'train' (our train()), 'hand' (the hand-written loop), 'torch' (the PyTorch peer). */
  impl: string;
  workload: Workload;
  /** Raw little-endian float32 files: inputs, targets, and the initial weights (W1, b1, W2, b2 … in our [units, inputs] layout). */
  x: string;
  y: string;
  weights: string;
  budgetMs: number;
}

/** A contender's answer: its speed, and the mean training loss of each epoch it ran from the initial weights. */
export interface RoundAnswer {
  samplesPerSec: number;
  /** Per-epoch mean training loss, from the shared initial weights and in the same batch order; absent when the impl does not run epochs. */
  losses?: number[];
  /** Threads the contender actually used, as it reports them. */
  threads?: number;
  /** Why there is no figure. */
  error?: string;
}

/** A running contender process. */
export class Contender {
  private readonly lines: AsyncIterableIterator<string>;
  private stderr = '';

  private constructor(readonly name: string, private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
  }

  /** Starts `command args` with `env` added to this process's environment. */
  static start(name: string, command: string, args: string[], env: Record<string, string>): Contender {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.on('error', () => undefined);
    return new Contender(name, child);
  }

  /**
   * Sends a request and waits for its answer; the process ending, or no answer within
   * `timeoutMs` (then the process is ended), answers with an error instead of hanging the bench.
   */
  async ask(req: RoundRequest, timeoutMs = req.budgetMs * 20 + 120_000): Promise<RoundAnswer> {
    if (this.child.exitCode !== null || !this.child.stdin.writable) return { samplesPerSec: NaN, error: `${this.name} is not running: ${this.lastError()}` };
    this.child.stdin.write(JSON.stringify(req) + '\n');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const next = await Promise.race([this.lines.next(), late]).finally(() => clearTimeout(timer));
    if (next === 'late') {
      this.child.kill();
      return { samplesPerSec: NaN, error: `${this.name} gave no answer within ${Math.round(timeoutMs / 1000)} s; stopped it` };
    }
    if (next.done) return { samplesPerSec: NaN, error: `${this.name} stopped: ${this.lastError()}` };
    try {
      return JSON.parse(next.value) as RoundAnswer;
    } catch {
      return { samplesPerSec: NaN, error: `${this.name} answered something that is not JSON: ${next.value.slice(0, 200)}` };
    }
  }

  private lastError(): string {
    return this.stderr.trim().split('\n').pop() || `exit ${this.child.exitCode ?? '?'}`;
  }

  /** Ends the process (closing its stdin ends its loop). */
  stop(): void {
    this.child.stdin.end();
    setTimeout(() => this.child.kill(), 2000).unref();
  }
}
