/**
 * Random editor intents as the webview would post them (and as a hostile webview could): ids
 * from the file and hostile ones, properties the inspector edits and others, odd values.
 */
import { ACTIVATION_NAMES, NODE_TYPES } from '../../../src/model/types';
import { HOSTILE, PROTO_NAMES } from './payloads';
import type { Rng } from './random';

/** A message as it arrives from the webview: plain JSON, not yet validated. */
export type RawIntent = Record<string, unknown>;

const KEYS = ['units', 'activation', 'alpha', 'rate', 'label', 'useBias', 'features', 'id', 'type', 'weights', 'bias', '__proto__', 'constructor', 'toString'];

function someValue(rng: Rng, key: string): unknown {
  if (rng.chance(0.6)) {
    switch (key) {
      case 'units': return rng.pick([1, 3, 16, 17, 1_000_000, 0, -1, 2.5]);
      case 'activation': return rng.pick([...ACTIVATION_NAMES, 'nope']);
      case 'alpha': return rng.pick([0, 0.1, -1, 1e308]);
      case 'rate': return rng.pick([0, 0.5, 0.99, 1, -0.1]);
      case 'label': return rng.pick(HOSTILE);
      case 'useBias': return rng.chance(0.5);
      case 'features': return Array.from({ length: rng.int(4) }, () => rng.pick(HOSTILE));
      case 'type': return rng.pick(NODE_TYPES);
      default: break;
    }
  }
  return rng.pick<unknown>([undefined, null, 1, -1, 'x', rng.pick(HOSTILE), [], [[1, 2]], { x: 1 }, true, 1e308]);
}

function someId(rng: Rng, ids: string[]): string {
  if (ids.length && rng.chance(0.6)) return rng.pick(ids);
  // Ids earlier intents of the same case may have made (added, renamed, pasted), so edits chain.
  if (rng.chance(0.2)) return `${rng.pick(['added', 'r', 'p'])}${rng.int(4)}`;
  return rng.chance(0.4) ? rng.pick(PROTO_NAMES) : rng.chance(0.5) ? `n${rng.int(20)}` : rng.pick(HOSTILE);
}

function someNode(rng: Rng, id: string): Record<string, unknown> {
  const type = rng.chance(0.9) ? rng.pick(NODE_TYPES) : 'nope';
  const n: Record<string, unknown> = { id, type };
  if (type === 'input' || type === 'dense') n.units = rng.pick([1, 2, 4, 0]);
  if (type === 'activation' || (type === 'dense' && rng.chance(0.5))) n.activation = rng.pick(ACTIVATION_NAMES);
  if (type === 'dropout') n.rate = rng.pick([0.2, 1]);
  if (rng.chance(0.3)) n.label = rng.pick(HOSTILE);
  if (rng.chance(0.1)) n[rng.pick(KEYS)] = someValue(rng, 'x');
  return n;
}

function somePoint(rng: Rng): unknown {
  return rng.chance(0.85) ? { x: rng.between(-500, 2000), y: rng.between(-500, 2000) } : rng.pick<unknown>([{ x: 1e300, y: 0 }, { x: 'a', y: 1 }, { x: 1 }, null]);
}

/** One intent message over the file's ids. Passed through JSON as postMessage would (NaN → null, `__proto__` kept as a key). */
export function randomIntent(rng: Rng, ids: string[], requestId: number): RawIntent {
  let m: Record<string, unknown>;
  switch (rng.int(11)) {
    case 0: {
      m = { type: 'addNode', node: someNode(rng, rng.chance(0.8) ? `added${rng.int(4)}` : someId(rng, ids)) };
      if (rng.chance(0.5)) m.after = someId(rng, ids);
      if (rng.chance(0.3)) m.position = somePoint(rng);
      break;
    }
    case 1: m = { type: 'removeNodes', ids: Array.from({ length: rng.between(1, 3) }, () => someId(rng, ids)) }; break;
    case 2: m = { type: 'connect', from: someId(rng, ids), to: someId(rng, ids) }; break;
    case 3: m = { type: 'disconnect', from: someId(rng, ids), to: someId(rng, ids) }; break;
    case 4: {
      const key = rng.pick(KEYS);
      m = { type: 'setProperty', id: someId(rng, ids), key, value: someValue(rng, key) };
      break;
    }
    case 5: m = { type: 'rename', oldId: someId(rng, ids), newId: rng.chance(0.6) ? `r${rng.int(4)}` : someId(rng, ids) }; break;
    case 6: {
      const entries = Array.from({ length: rng.between(1, 3) }, () => `${JSON.stringify(someId(rng, ids))}: ${JSON.stringify(somePoint(rng))}`);
      // Built as JSON text so a key like "__proto__" stays an own key, as JSON.parse leaves it.
      m = { type: 'pin', positions: JSON.parse(`{${entries.join(',')}}`) };
      break;
    }
    case 7: m = { type: 'unpin', ids: Array.from({ length: rng.between(1, 2) }, () => someId(rng, ids)) }; break;
    case 8: {
      m = { type: 'group', ids: Array.from({ length: rng.between(1, 3) }, () => someId(rng, ids)) };
      if (rng.chance(0.3)) m.id = rng.chance(0.5) ? `g${rng.int(3)}` : someId(rng, ids);
      if (rng.chance(0.3)) m.label = rng.pick(HOSTILE);
      if (rng.chance(0.5)) m.collapsed = rng.chance(0.5);
      break;
    }
    case 9: {
      const id = rng.chance(0.7) ? rng.pick(['group1', 'group2', 'g0', 'g1']) : someId(rng, ids);
      const pick = rng.int(4);
      m = pick === 0 ? { type: 'ungroup', id } : pick === 1 ? { type: 'setGroupCollapsed', id, collapsed: rng.chance(0.5) } : pick === 2 ? { type: 'setGroupLabel', id, label: rng.pick(HOSTILE) } : { type: 'groupChains' };
      break;
    }
    default: {
      const nodes = Array.from({ length: rng.between(1, 3) }, (_, i) => someNode(rng, i === 0 ? `p${rng.int(4)}` : `p${rng.int(50)}_${i}`));
      const pids = nodes.map((n) => n.id as string);
      m = { type: 'paste', nodes, edges: pids.length > 1 && rng.chance(0.6) ? [{ from: pids[0], to: pids[1] }] : [] };
    }
  }
  return JSON.parse(JSON.stringify({ ...m, requestId })) as RawIntent;
}
