import * as assert from 'node:assert/strict';
import { Channel } from '../../../src/protocol';
import type { ResponseMessage } from '../../../src/protocol';

type A = { type: 'ping'; requestId: number; n: number } | { type: 'note'; text: string };
type B = { type: 'ping'; requestId: number; n: number } | { type: 'note'; text: string };

/** Two channels wired back to back, as the host and a webview are. */
function pair(): { left: Channel<A, B>; right: Channel<B, A>; wire: unknown[] } {
  const wire: unknown[] = [];
  const left: Channel<A, B> = new Channel<A, B>((m) => { wire.push(m); queueMicrotask(() => right.receive(m as A | ResponseMessage)); });
  const right: Channel<B, A> = new Channel<B, A>((m) => { wire.push(m); queueMicrotask(() => left.receive(m as B | ResponseMessage)); });
  return { left, right, wire };
}

describe('Channel (typed events and request/response)', () => {
  it('delivers events to listeners of that type only', async () => {
    const { left, right } = pair();
    const notes: string[] = [];
    right.on('note', (m) => notes.push(m.text));
    right.on('ping', () => assert.fail('ping listener must not see notes'));
    left.post({ type: 'note', text: 'hello' });
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(notes, ['hello']);
  });

  it('answers requests with the handler value, matching ids', async () => {
    const { left, right, wire } = pair();
    right.handle('ping', (m) => m.n * 2);
    const [a, b] = await Promise.all([left.request({ type: 'ping', n: 2 }), left.request({ type: 'ping', n: 5 })]);
    assert.deepEqual([a, b], [4, 10]);
    const ids = wire.filter((m) => (m as { type: string }).type === 'ping').map((m) => (m as { requestId: number }).requestId);
    assert.equal(new Set(ids).size, 2);
  });

  it('turns a thrown handler error into a rejected request with its message', async () => {
    const { left, right } = pair();
    right.handle('ping', () => { throw new Error('There is no node h9 in this file.'); });
    await assert.rejects(left.request({ type: 'ping', n: 1 }), /no node h9/);
  });

  it('times out when nobody answers, and rejects pending requests on dispose', async () => {
    const silent = new Channel<A, B>(() => undefined);
    await assert.rejects(silent.request({ type: 'ping', n: 1 }, 20), /No answer to "ping" within 20 ms/);
    const p = silent.request({ type: 'ping', n: 1 });
    silent.dispose();
    await assert.rejects(p, /closed/);
  });

  it('ignores responses to unknown requests', () => {
    const c = new Channel<A, B>(() => undefined);
    c.receive({ type: 'response', requestId: 99, ok: true });
  });
});
