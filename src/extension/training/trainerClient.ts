/**
 * The host's handle on the training process: forks dist/trainer.js (as language clients fork
 * their servers) with 'advanced' serialization, speaks the ToTrainer/FromTrainer protocol, and
 * turns an unexpected exit into an 'exited' update so the views can say what happened. Every
 * message is validated both ways against the protocol's definitions: a malformed one from the
 * process is logged and dropped; one the host would send is refused before it leaves; an answer
 * is checked against its request's reply. Free of `vscode` so unit tests can drive it.
 */
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import {
  Channel, FromTrainerMessage, MalformedMessage, type MessageOf, replyChecks, type ReplyTo, type RequestType, type FromTrainer, type ToTrainer,
  ToTrainerMessage, TRAINER_LOG_PREFIX, type TrainingUpdate, type WithoutRequestId,
} from '../../protocol';

/** How to start the process: the script and the fork options (tests run the .ts source through tsx). */
export interface TrainerLaunch {
  script: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** The host's requests to the process. */
type TrainerRequest = RequestType<ToTrainer>;
/** One training process at a time; started on demand, restarted after it dies. */
export class TrainerClient {
  private child?: ChildProcess;
  private channel?: Channel<ToTrainer, FromTrainer>;
  private readonly listeners = new Set<(u: TrainingUpdate) => void>();
  private readonly exitListeners = new Set<(info: { code: number | null; signal: string | null; expected: boolean }) => void>();
  private activeRun?: number;
  private stopping = false;
  private nextRunId = 1;

  constructor(private readonly launch: TrainerLaunch, private readonly log: (line: string) => void = () => {}) {}

  /** The process id while it runs (tests kill it). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The run in progress, if any. */
  get runningRun(): number | undefined {
    return this.activeRun;
  }

  /** Every update of every run. */
  onUpdate(listener: (u: TrainingUpdate) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The process ended (expected: after dispose). */
  onExit(listener: (info: { code: number | null; signal: string | null; expected: boolean }) => void): { dispose(): void } {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  /** A fresh run id. */
  newRunId(): number {
    return this.nextRunId++;
  }

  /** Starts a run; updates arrive through onUpdate (an 'error' update when the request is not acceptable). */
  train(message: Omit<Extract<ToTrainer, { type: 'train' }>, 'type'>): void {
    const full = ToTrainerMessage.validate({ type: 'train', ...message });
    if (full instanceof MalformedMessage) {
      this.log(`Training was not started: ${full.line}`);
      const update: TrainingUpdate = { kind: 'error', runId: message.runId, message: `the training request was not sent: ${full.reason}.` };
      for (const l of this.listeners) l(update);
      return;
    }
    this.activeRun = message.runId;
    this.ensure().post(full);
  }

  /** Asks the run to stop; the process answers with 'done' (stopped) within a step. */
  stop(runId = this.activeRun): void {
    if (runId !== undefined && this.channel) this.channel.post({ type: 'stop', runId });
  }

  /** Tells a running training process that the user turned neuron heatmaps on or off (a run in progress follows; nothing is started for it). */
  neuronHeatmaps(on: boolean): void {
    if (this.channel && this.child?.exitCode === null) this.channel.post({ type: 'neuronHeatmaps', on });
  }

  /** Sends a request (step, predict, checkGradients, …) and resolves with its answer, typed and checked by the request's definition. */
  request<K extends TrainerRequest>(message: { type: K } & WithoutRequestId<MessageOf<ToTrainer, K>>, timeoutMs = 60000): Promise<ReplyTo<K>> {
    const checked = ToTrainerMessage.validate({ ...message, requestId: 0 });
    if (checked instanceof MalformedMessage) return Promise.reject(new Error(`the request was not sent to the training process: ${checked.reason}.`));
    return this.ensure().request(message, timeoutMs);
  }

  /** Posts a message that needs no answer (resetStep). */
  post(message: Extract<ToTrainer, { type: 'resetStep' }>): void {
    this.ensure().post(message);
  }

  private ensure(): Channel<ToTrainer, FromTrainer> {
    if (this.channel && this.child && this.child.exitCode === null && !this.child.killed) return this.channel;
    const options: ForkOptions = { serialization: 'advanced', execArgv: this.launch.execArgv ?? [], env: this.launch.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] };
    const child = fork(this.launch.script, [], options);
    const channel = new Channel<ToTrainer, FromTrainer>((m) => {
      if (child.connected) child.send(m);
    }, replyChecks(ToTrainerMessage));
    channel.on('update', ({ update: u }) => {
      if ((u.kind === 'done' || u.kind === 'error') && u.runId === this.activeRun) this.activeRun = undefined;
      for (const l of this.listeners) l(u);
    });
    let stderr = '';
    let partial = '';
    child.stderr?.on('data', (d: Buffer) => {
      // The process's own log lines (a malformed message it dropped) go to the output channel now;
      // anything else is kept for the message shown if the process dies.
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(TRAINER_LOG_PREFIX)) this.log(`training process ${child.pid}: ${line.slice(TRAINER_LOG_PREFIX.length)}`);
        else stderr = `${stderr}${line}\n`.slice(-2000);
      }
    });
    child.stdout?.on('data', (d: Buffer) => this.log(d.toString().trimEnd()));
    child.on('message', (raw: unknown) => {
      const m = FromTrainerMessage.validate(raw);
      if (m instanceof MalformedMessage) {
        this.log(`training process ${child.pid}: ${m.line}`);
        // A malformed answer still settles its request (with why) instead of leaving it to time out.
        if (m.type === 'response' && m.requestId !== undefined) channel.receive({ type: 'response', requestId: m.requestId, ok: false, error: `the training process sent a malformed answer: ${m.reason}` });
        return;
      }
      channel.receive(m);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      const expected = this.stopping;
      this.child = undefined;
      this.channel = undefined;
      channel.dispose();
      this.log(`training process ${child.pid} exited (code ${code}, signal ${signal})${stderr ? `: ${stderr.trim()}` : ''}`);
      const run = this.activeRun;
      this.activeRun = undefined;
      if (!expected && run !== undefined) {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const detail = stderr.trim().split('\n').slice(-3).join(' ');
        const update: TrainingUpdate = { kind: 'exited', runId: run, message: `The training process ${how} during the run${detail ? `: ${detail}` : ''}. Nothing was saved from this run; press Train to start again.` };
        for (const l of this.listeners) l(update);
      }
      for (const l of this.exitListeners) l({ code, signal, expected });
    });
    this.child = child;
    this.channel = channel;
    this.stopping = false;
    this.log(`started training process ${child.pid}`);
    return channel;
  }

  /** Ends the process (the extension deactivates). */
  dispose(): void {
    this.stopping = true;
    this.child?.kill();
    this.listeners.clear();
  }
}
