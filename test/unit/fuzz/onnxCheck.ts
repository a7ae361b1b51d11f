/**
 * A structural check of an exported ONNX model, cheap enough for every fuzz case: every tensor a
 * node reads is defined before it (graph input, initializer or an earlier node's output), every
 * name is defined once, every graph output is produced. onnxruntime runs a sample in the slower test.
 */
import { onnxType } from '../../../src/export/onnx/onnxSchema';

interface Named {
  name?: string;
}
interface GraphLike {
  input?: Named[];
  output?: Named[];
  initializer?: Named[];
  node?: { name?: string; input?: string[]; output?: string[] }[];
}

/** What is wrong with the model's graph, or undefined. */
export function onnxProblem(bytes: Uint8Array): string | undefined {
  const model = onnxType('ModelProto').decode(bytes) as unknown as { graph?: GraphLike };
  const g = model.graph;
  if (!g) return 'no graph';
  const defined = new Set<string>();
  const define = (name: string | undefined, what: string): string | undefined => {
    if (!name) return `${what} without a name`;
    if (defined.has(name)) return `${what} '${name}' is defined twice`;
    defined.add(name);
    return undefined;
  };
  for (const i of g.input ?? []) {
    const p = define(i.name, 'graph input');
    if (p) return p;
  }
  for (const t of g.initializer ?? []) {
    const p = define(t.name, 'initializer');
    if (p) return p;
  }
  for (const n of g.node ?? []) {
    for (const i of n.input ?? []) if (i !== '' && !defined.has(i)) return `node '${n.name}' reads '${i}', which nothing defines before it`;
    for (const o of n.output ?? []) {
      const p = define(o, `output of node '${n.name}'`);
      if (p) return p;
    }
  }
  for (const o of g.output ?? []) if (!o.name || !defined.has(o.name)) return `graph output '${o.name}' is never produced`;
  return undefined;
}

/** The graph inputs' names and widths ([batch, width]), to feed the model. */
export function onnxInputs(bytes: Uint8Array): { name: string; width: number }[] {
  const model = onnxType('ModelProto').decode(bytes) as unknown as {
    graph: { input: { name: string; type: { tensorType: { shape: { dim: { dimValue?: number | { toNumber(): number } }[] } } } }[] };
  };
  return model.graph.input.map((i) => {
    const d = i.type.tensorType.shape.dim[1]?.dimValue ?? 0;
    return { name: i.name, width: typeof d === 'number' ? d : d.toNumber() };
  });
}
