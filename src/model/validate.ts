/**
 * validateNetwork: the semantic checks of a parsed nn/1 document (graph structure, shapes,
 * inline weights, training choices). Returns only diagnostics that parsing did not already give.
 */
import type { Node } from 'jsonc-parser';
import type { ActivationName, Diagnostic, NetworkDoc, NetworkNode } from './types';
import type { ParsedNetwork } from './parse';
import { Reporter, propValue, properties } from './fieldReaders';
import { findCycle, indexGraph, reachableFrom, topologicalOrder, type GraphIndex } from './graph';
import { inferShapes } from './analyze';
import { checkTraining } from './validateTraining';
import { checkConvWeights } from './validateConv';
import { checkGroups } from './validateGroups';

/** Runs every semantic check on a parsed document; empty when there is no doc. */
export function validateNetwork(parsed: ParsedNetwork): Diagnostic[] {
  const doc = parsed.doc;
  if (!doc) return [];
  const r = new Reporter(parsed.lines);
  const at = (id: string, key?: string): Node | { offset: number; length: number } => {
    const obj = parsed.nodeAst.get(id);
    if (!obj) return { offset: 0, length: 0 };
    return (key && propValue(obj, key)) || propValue(obj, 'id') || obj;
  };
  checkIds(parsed, r);
  const known = new Set(doc.nodes.map((n) => n.id));
  const edgeOk = checkEdges(parsed, doc, known, r);
  const g = indexGraph({ ...doc, edges: doc.edges.filter((_, i) => edgeOk[i]) });
  const { order, cyclic } = topologicalOrder(doc, g);
  if (cyclic.length) {
    const found = findCycle(g, cyclic);
    if (found) {
      // Start the loop where data enters it, so the edge named last is the one that loops back.
      const ring = found.slice(0, -1);
      const entry = Math.max(0, ring.findIndex((id) => (g.inputsOf.get(id) ?? []).some((i) => !ring.includes(i))));
      const cycle = [...ring.slice(entry), ...ring.slice(0, entry), ring[entry]];
      const last = cycle[cycle.length - 2];
      const closing = doc.edges.findIndex((e, i) => edgeOk[i] && e.from === last && e.to === cycle[cycle.length - 1]);
      r.add('error', 'cycle',
        `the edges form a cycle ${cycle.map((c) => `'${c}'`).join(' → ')}; a feed-forward network must not loop back, so remove one of these edges`,
        parsed.edgeAst[closing] ?? at(cycle[0]), cycle[0]);
    }
  }
  // Nodes fed by a node too broken to read get no follow-on errors: the broken node has its own.
  const fedByBroken = new Set(doc.edges.filter((e) => parsed.brokenIds.has(e.from)).map((e) => e.to));
  checkArity(doc, g, r, at, fedByBroken);
  checkReachable(doc, g, r, at, cyclic, fedByBroken);
  const { shapes, problems } = inferShapes(doc, order, g.inputsOf);
  for (const p of problems) r.add('error', p.code, p.message, at(p.nodeId, p.key), p.nodeId);
  checkInlineWeights(doc, g, shapes, r, at);
  checkConvWeights(doc, g, shapes, r, at);
  checkPins(parsed, known, r);
  checkGroups(parsed, known, r);
  checkTraining(doc, g, shapes, r, at, parsed);
  checkLinearCollapse(doc, g, r, at);
  return r.diagnostics;
}

function checkIds(parsed: ParsedNetwork, r: Reporter): void {
  const nodes = propValue(parsed.root, 'nodes');
  const seen = new Set<string>();
  for (const obj of nodes?.type === 'array' ? nodes.children ?? [] : []) {
    const idNode = propValue(obj, 'id');
    if (!idNode || typeof idNode.value !== 'string') continue;
    const id = idNode.value;
    if (seen.has(id)) {
      r.add('error', 'duplicate-id', `two nodes are called '${id}'; ids must be unique, so rename one of them`, idNode, id);
    }
    seen.add(id);
  }
}

/** Whether each edge joins two known, distinct nodes (copies of an edge never reach the doc: see parse). */
function checkEdges(parsed: ParsedNetwork, doc: NetworkDoc, known: Set<string>, r: Reporter): boolean[] {
  // A short list of real ids helps a student spot the typo; built once, not per bad edge.
  const someIds = [...doc.nodes.slice(0, 12).map((n) => n.id)].join(', ');
  return doc.edges.map((e, i) => {
    const obj = parsed.edgeAst[i];
    let ok = true;
    for (const end of ['from', 'to'] as const) {
      const id = e[end];
      if (known.has(id)) continue;
      ok = false;
      // A node that exists but was too broken to read already has its own error.
      if (parsed.brokenIds.has(id)) continue;
      r.add('error', 'unknown-node', `edge ${end} '${id}': there is no node with that id (nodes: ${someIds || 'none yet'}${doc.nodes.length > 12 ? ', …' : ''})`, propValue(obj, end) ?? obj);
    }
    if (!ok) return false;
    if (e.from === e.to) {
      r.add('error', 'cycle', `edge '${e.from}' → '${e.to}' connects a node to itself; a feed-forward network must not loop back`, obj, e.from);
      return false;
    }
    return true;
  });
}

type At = (id: string, key?: string) => Node | { offset: number; length: number };

/** Node types that take exactly one input. */
const SINGLE_INPUT: ReadonlySet<string> = new Set([
  'dense', 'activation', 'dropout', 'conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool2d', 'flatten', 'reshape', 'batchnorm',
]);

function checkArity(doc: NetworkDoc, g: GraphIndex, r: Reporter, at: At, fedByBroken: Set<string>): void {
  const done = new Set<string>();
  for (const n of doc.nodes) {
    if (done.has(n.id)) continue;
    done.add(n.id);
    const ins = g.inputsOf.get(n.id) ?? [];
    const name = `${n.type} '${n.id}'`;
    if ((n.type === 'dense' || n.type === 'activation' || n.type === 'conv2d') && n.alpha !== undefined && n.activation !== 'leaky_relu' && n.activation !== 'elu') {
      r.add('warning', 'unused-alpha', `${name}: alpha only affects leaky_relu and elu, not ${n.activation ?? 'linear'}, so it is ignored`, at(n.id, 'alpha'), n.id);
    }
    if (n.type === 'input') {
      if (n.features && n.features.length !== n.units) {
        r.add('warning', 'features-length', `${name} has ${n.units} unit${n.units === 1 ? '' : 's'} but ${n.features.length} feature name${n.features.length === 1 ? '' : 's'}; give one name per unit`, at(n.id, 'features'), n.id);
      }
      if (ins.length) r.add('error', 'input-has-inputs', `${name} is fed by ${ins.map((i) => `'${i}'`).join(', ')}; an input takes data only, so remove those edges`, at(n.id), n.id);
      if (!(g.outputsOf.get(n.id) ?? []).length && doc.nodes.length > 1) r.add('warning', 'unused-input', `${name} is not connected to anything`, at(n.id), n.id);
      continue;
    }
    if (!ins.length) {
      if (fedByBroken.has(n.id)) continue;
      r.add('error', 'no-inputs', `${name} has no input; connect a node to it (an edge { "from": …, "to": "${n.id}" })`, at(n.id), n.id);
    } else if (SINGLE_INPUT.has(n.type) && ins.length > 1) {
      r.add('error', 'too-many-inputs',
        `${name} takes exactly one input but is fed by ${ins.map((i) => `'${i}'`).join(', ')}; merge them first with a concat, add or multiply node`,
        at(n.id), n.id);
    } else if ((n.type === 'add' || n.type === 'multiply') && ins.length < 2) {
      r.add('error', 'merge-inputs', `${name} combines two or more inputs but has only '${ins[0]}'; connect another node or remove it`, at(n.id), n.id);
    }
  }
}

function checkReachable(doc: NetworkDoc, g: GraphIndex, r: Reporter, at: At, cyclic: string[], fedByBroken: Set<string>): void {
  const inputs = doc.nodes.filter((n) => n.type === 'input').map((n) => n.id);
  if (!inputs.length) {
    if (doc.nodes.length) r.add('error', 'no-input-node', 'the network has no input node; add { "id": "x", "type": "input", "units": 2 }', at(doc.nodes[0].id));
    return;
  }
  const reached = reachableFrom(g, [...inputs, ...[...fedByBroken].filter((id) => g.inputsOf.has(id))]);
  const inCycle = new Set(cyclic);
  for (const n of doc.nodes) {
    // Nodes with no inputs and nodes on a cycle already have a more precise error.
    if (reached.has(n.id) || inCycle.has(n.id) || !(g.inputsOf.get(n.id) ?? []).length) continue;
    r.add('error', 'unreachable', `${n.type} '${n.id}' cannot be reached from any input node, so no data ever flows into it`, at(n.id), n.id);
  }
}

function checkInlineWeights(doc: NetworkDoc, g: GraphIndex, shapes: Map<string, number[]>, r: Reporter, at: At): void {
  for (const n of doc.nodes) {
    if (n.type !== 'dense') continue;
    const ins = g.inputsOf.get(n.id) ?? [];
    const inShape = ins.length === 1 ? shapes.get(ins[0]) : undefined;
    const inputs = inShape ? inShape.reduce((a, b) => a * b, 1) : undefined;
    const name = `dense '${n.id}'`;
    if (n.weights) {
      const want = `${n.units} row${n.units === 1 ? '' : 's'} × ${inputs ?? '?'} column${inputs === 1 ? '' : 's'} (units × inputs)`;
      const wNode = at(n.id, 'weights') as Node;
      if (n.weights.length !== n.units) {
        r.add('error', 'weight-shape', `${name} expects weights of ${want} but it has ${n.weights.length} row${n.weights.length === 1 ? '' : 's'}`, wNode, n.id);
      } else if (inputs !== undefined) {
        const bad = n.weights.findIndex((row) => row.length !== inputs);
        if (bad >= 0) {
          const rowNode = wNode.children?.[bad] ?? wNode;
          r.add('error', 'weight-shape', `${name} expects weights of ${want} but row ${bad + 1} has ${n.weights[bad].length} value${n.weights[bad].length === 1 ? '' : 's'}`, rowNode, n.id);
        }
      }
    }
    if (n.bias) {
      if (n.useBias === false) {
        r.add('warning', 'unused-bias', `${name} has "useBias": false, so its bias is ignored`, at(n.id, 'bias'), n.id);
      } else if (n.bias.length !== n.units) {
        r.add('error', 'bias-shape', `${name} expects a bias of ${n.units} value${n.units === 1 ? '' : 's'} (one per unit) but it has ${n.bias.length}`, at(n.id, 'bias'), n.id);
      }
    }
  }
}

function checkPins(parsed: ParsedNetwork, known: Set<string>, r: Reporter): void {
  const pinned = propValue(propValue(parsed.root, 'layout'), 'pinned');
  if (!pinned || pinned.type !== 'object') return;
  for (const p of properties(pinned)) {
    if (!known.has(p.key) && !parsed.brokenIds.has(p.key)) {
      r.add('warning', 'unknown-pin', `layout.pinned names '${p.key}', which is not a node; the position is ignored`, p.keyNode);
    }
  }
}

function activationOf(n: NetworkNode): ActivationName | undefined {
  if (n.type === 'dense') return n.activation ?? 'linear';
  if (n.type === 'activation') return n.activation;
  return undefined;
}

/** Warns when two dense layers are joined with nothing non-linear between them (W2·W1 = W3). */
function checkLinearCollapse(doc: NetworkDoc, g: GraphIndex, r: Reporter, at: At): void {
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));
  for (const n of doc.nodes) {
    if (n.type !== 'dense' || activationOf(n) !== 'linear') continue;
    // Walk forward through nodes that keep the map linear until a dense layer or a non-linearity.
    const queue = [...(g.outputsOf.get(n.id) ?? [])];
    const seen = new Set<string>(queue);
    let next: string | undefined;
    while (queue.length && !next) {
      const id = queue.shift() as string;
      const m = byId.get(id);
      if (!m) continue;
      if (m.type === 'dense') { next = id; break; }
      const linearPass = m.type === 'dropout' || m.type === 'add' || m.type === 'concat' || m.type === 'flatten' || m.type === 'reshape' || (m.type === 'activation' && m.activation === 'linear');
      if (!linearPass) continue;
      for (const o of g.outputsOf.get(id) ?? []) if (!seen.has(o)) { seen.add(o); queue.push(o); }
    }
    if (next) {
      r.add('warning', 'linear-collapse',
        `dense '${n.id}' has a linear activation and feeds dense '${next}': two linear layers in a row equal one linear layer (W₂·W₁ = W₃), so the extra layer adds nothing; give '${n.id}' a non-linear activation such as relu`,
        at(n.id, 'activation'), n.id);
    }
  }
}
