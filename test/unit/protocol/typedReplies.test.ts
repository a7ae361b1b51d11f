/**
 * A request's answer is typed by the request's definition (no casts at call sites) and checked
 * against it at run time. The type half is proved by the type check (`npx tsc -p tsconfig.json`):
 * the `@ts-expect-error` lines below must stay errors, so a reply that loses its type (as when
 * every request resolved to a generic JSON value) fails the build.
 */
import * as assert from 'node:assert/strict';
import {
  Channel, type ExportAnswer, type FromEditor, type FromTrainer, type GradientCheckResult, type IntentReply, type PredictReply, replyChecks, type ResponseMessage,
  type SavedWeightsState, type StepReply, type ToEditor, ToTrainerMessage, type ToTrainer,
} from '../../../src/protocol';

const job = { text: '{}', file: '/ws/a.nn', allowedRoots: ['/ws'] };

/** Exact type equality (not mere assignability). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const same = <A, B>(_proof: Equal<A, B>): void => undefined;

/** Never called: compiled only, so the type checker proves what each request resolves to. */
export async function typedReplies(host: Channel<ToTrainer, FromTrainer>, editorHost: Channel<ToEditor, FromEditor>, view: Channel<FromEditor, ToEditor>): Promise<void> {
  const predicted = await host.request({ type: 'predict', inputs: [1, 2], ...job });
  same<typeof predicted, PredictReply>(true);
  const outputs: number[] = predicted.outputs;
  // @ts-expect-error a predict reply has no `rows`
  void predicted.rows;
  // @ts-expect-error its outputs are numbers, not text
  const wrong: string[] = predicted.outputs;
  same<Awaited<ReturnType<typeof host.request<'checkGradients'>>>, GradientCheckResult>(true);
  same<Awaited<ReturnType<typeof host.request<'export'>>>, ExportAnswer>(true);
  same<Awaited<ReturnType<typeof host.request<'savedWeights'>>>, SavedWeightsState>(true);
  const stepped = await host.request({ type: 'step', runId: 1, ...job });
  same<typeof stepped, StepReply>(true);
  // @ts-expect-error 'stop' is not a request (it has no answer)
  void host.request({ type: 'stop', runId: 1 });
  // @ts-expect-error a predict request needs its inputs
  void host.request({ type: 'predict', ...job });
  const svg = await editorHost.request({ type: 'exportDiagram', format: 'svg' });
  same<typeof svg, string>(true);
  const edited = await view.request({ type: 'connect', from: 'x', to: 'h' });
  same<typeof edited, IntentReply>(true);
  // @ts-expect-error an intent's answer says whether the text changed, nothing else
  void edited.written;
  void outputs; void wrong; void stepped; void svg;
}

/** Two channels wired back to back (host and training process), answers checked by the definitions. */
function pair(): { host: Channel<ToTrainer, FromTrainer>; process: Channel<FromTrainer, ToTrainer> } {
  const host: Channel<ToTrainer, FromTrainer> = new Channel<ToTrainer, FromTrainer>((m) => queueMicrotask(() => process.receive(m as ToTrainer | ResponseMessage)), replyChecks(ToTrainerMessage));
  const process: Channel<FromTrainer, ToTrainer> = new Channel<FromTrainer, ToTrainer>((m) => queueMicrotask(() => host.receive(m as FromTrainer | ResponseMessage)));
  return { host, process };
}

describe('typed replies: each request resolves to the reply its definition names, checked', () => {
  it('resolves with a well-formed answer', async () => {
    const { host, process } = pair();
    process.handle('predict', (m) => ({ outputs: m.inputs.map((x) => x * 2), source: 'fresh' }));
    const r = await host.request({ type: 'predict', inputs: [1, 2], ...job });
    assert.deepEqual(r, { outputs: [2, 4], source: 'fresh' });
  });

  it('rejects an answer that does not match its request\'s reply, saying what is wrong', async () => {
    const { host, process } = pair();
    // What a confused or broken process might answer: a predict reply without outputs.
    (process as unknown as Channel<FromTrainer, ToTrainer & { type: 'predict' }>).handle('predict', () => ({ source: 'fresh' }) as unknown as PredictReply);
    await assert.rejects(host.request({ type: 'predict', inputs: [1], ...job }), /the answer to "predict" was malformed: "value\.outputs" is missing/);
    (process as unknown as Channel<FromTrainer, ToTrainer>).handle('savedWeights', () => ({ status: 'lost', file: '/ws/a.weights.safetensors' }) as unknown as SavedWeightsState);
    await assert.rejects(host.request({ type: 'savedWeights', ...job }), /the answer to "savedWeights" was malformed: unknown weights state status "lost"/);
  });
});
