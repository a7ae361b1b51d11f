/**
 * The nn.Module part of the PyTorch script: one attribute per layer named after its node, and a
 * forward() that computes every node in topological order, one readable line each.
 */
import { ExportError } from '../exportError';
import type { ExportPlan, PlanActivation, PlanNode } from '../exportPlan';
import { pyDocText, pyFloat, pyInt, pyString } from '../pythonNames';
import { batchNormCtor, channelsFirst, convParts, featureDim, flattenExpr, inputLayout, poolExpr, reshapeExpr, rowMajor } from './pytorchImage';

/** Python expression applying `a` to the expression `x` (softmax over torch dim `dim`, the feature axis). */
export function torchActivation(a: PlanActivation | undefined, x: string, dim = 1): string {
  if (!a) return x;
  switch (a.name) {
    case 'linear': return x;
    case 'sigmoid': return `torch.sigmoid(${x})`;
    case 'tanh': return `torch.tanh(${x})`;
    case 'relu': return `F.relu(${x})`;
    case 'leaky_relu': return `F.leaky_relu(${x}, negative_slope=${pyFloat(a.alpha ?? 0.1)})`;
    case 'elu': return `F.elu(${x}, alpha=${pyFloat(a.alpha ?? 1)})`;
    case 'softmax': return `F.softmax(${x}, dim=${dim})`;
    case 'step': return `straight_through_step(${x})`;
    default: throw new ExportError(`Activation '${(a as { name: string }).name}' has no PyTorch equivalent in this exporter.`);
  }
}

/**
 * The class source. With `logitsOutput` the single output's activation is skipped when
 * forward(…, logits=True) is called, so the loss can take logits as our engine does.
 */
export function torchModuleSource(plan: ExportPlan, names: Map<string, string>, logitsOutput: boolean): string {
  const n = (id: string): string => names.get(id) as string;
  const init: string[] = [];
  const body: string[] = [];
  const out = plan.outputs[0];
  // The output's pre-activation gets its own local; make sure no node already has that name.
  const taken = new Set(names.values());
  let logitsVar = `${n(out.id)}_logits`;
  while (taken.has(logitsVar)) logitsVar += '_';
  let dropoutStream = 0;
  for (const p of plan.nodes) {
    const v = n(p.id);
    const ins = p.inputs.map(n);
    const logitsHere = logitsOutput && p === out;
    const applyAct = (pre: string): void => {
      if (logitsHere) {
        body.push(`${logitsVar} = ${pre}`);
        body.push(`${v} = ${torchActivation(p.activation, logitsVar, featureDim(p))}`);
      } else {
        body.push(`${v} = ${torchActivation(p.activation, pre, featureDim(p))}`);
      }
    };
    switch (p.node.type) {
      case 'input': {
        const layout = inputLayout(p, v);
        if (layout) body.push(`${v} = ${layout}`);
        break;
      }
      case 'dense':
        init.push(`self.${v} = nn.Linear(${pyInt(fanIn(plan, p), 'a layer width')}, ${pyInt(p.units, 'a layer width')}${p.bias || p.node.useBias !== false ? '' : ', bias=False'})  # ${pyComment(p)}`);
        applyAct(`self.${v}(${ins[0]})`);
        break;
      case 'activation': applyAct(ins[0]); break;
      case 'dropout':
        if (p.node.rate > 0) dropoutStream++;
        init.push(`self.${v} = EngineDropout(p=${pyFloat(p.node.rate)}, stream=${dropoutStream})  # ${pyComment(p)}`);
        body.push(`${v} = self.${v}(${ins[0]})`);
        break;
      case 'add': body.push(`${v} = ${ins.join(' + ')}`); break;
      case 'multiply': body.push(`${v} = ${ins.join(' * ')}`); break;
      case 'concat': body.push(`${v} = torch.cat([${ins.join(', ')}], dim=${featureDim(p)})`); break;
      case 'conv2d': {
        const conv = convParts(p, ins[0]);
        init.push(`self.${v} = ${conv.ctor}  # ${pyComment(p)}`);
        applyAct(`self.${v}(${conv.input})`);
        break;
      }
      case 'maxpool2d':
      case 'avgpool2d': body.push(`${v} = ${poolExpr(p, ins[0])}`); break;
      case 'globalavgpool2d': body.push(`${v} = ${ins[0]}.mean(dim=(2, 3))`); break;
      case 'flatten': body.push(`${v} = ${flattenExpr(inputOf(plan, p), ins[0])}`); break;
      case 'reshape': body.push(`${v} = ${reshapeExpr(inputOf(plan, p), p, ins[0])}`); break;
      case 'batchnorm':
        init.push(`self.${v} = ${batchNormCtor(p)}  # ${pyComment(p)}`);
        body.push(`${v} = self.${v}(${ins[0]})`);
        break;
    }
  }
  const args = plan.inputs.map((p) => n(p.id)).join(', ');
  // Image outputs go back to Neural Canvas's channels-last layout, [N, H, W, C].
  const shown = (p: PlanNode, x: string): string => rowMajor(p, x);
  const ret = plan.outputs.length === 1
    ? (logitsOutput ? `${shown(out, logitsVar)} if logits else ${shown(out, n(out.id))}` : shown(out, n(out.id)))
    : `(${plan.outputs.map((o) => shown(o, n(o.id))).join(', ')})`;
  const images = plan.inputs.some(channelsFirst);
  const lines = [
    `class Network(nn.Module):`,
    `    """${pyDocText(plan.name)}: ${plan.inputs.map((p) => `${pyDocText(p.id)} [${p.shape.join(', ')}]`).join(', ')} -> ${plan.outputs.map((p) => `${pyDocText(p.id)} [${p.shape.join(', ')}]`).join(', ')}.`,
    ...(images ? [
      ``,
      `    Images: forward() takes the same rows as nn predict, channels last ([N, H, W, C], or flat`,
      `    [N, H*W*C] in H, W, C order), and permutes them to torch's channels-first [N, C, H, W]`,
      `    inside; every [H, W, C] layer runs channels first, and is permuted back to channels last`,
      `    before a flatten, so the dense weights after it are Neural Canvas's unchanged.`,
    ] : []),
    `    """`,
    ``,
    `    def __init__(self):`,
    `        super().__init__()`,
    ...(init.length ? init.map((l) => `        ${l}`) : ['        pass']),
    ``,
    `    def forward(self, ${args}, logits=False):`,
    ...body.map((l) => `        ${l}`),
    `        return ${ret}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Maps our weight names ("<node id>.weight") to the module's parameter and buffer names, and
 * gives the permutation from our layout to torch's for each tensor that has one (conv kernels).
 */
export function torchParameterNames(plan: ExportPlan, names: Map<string, string>): string {
  const entries: string[] = [];
  const layouts: string[] = [];
  const entry = (ours: string, theirs: string): void => { entries.push(`    ${pyString(ours)}: ${pyString(theirs)},`); };
  for (const p of plan.nodes) {
    const v = names.get(p.id) as string;
    const t = p.node.type;
    if (t === 'dense' || t === 'conv2d') {
      entry(`${p.id}.weight`, `${v}.weight`);
      if (p.node.useBias !== false) entry(`${p.id}.bias`, `${v}.bias`);
      if (t === 'conv2d') layouts.push(`    ${pyString(`${p.id}.weight`)}: [0, 3, 1, 2],`);
    } else if (t === 'batchnorm') {
      entry(`${p.id}.gamma`, `${v}.weight`);
      entry(`${p.id}.beta`, `${v}.bias`);
      entry(`${p.id}.moving_mean`, `${v}.running_mean`);
      entry(`${p.id}.moving_variance`, `${v}.running_var`);
    }
  }
  const layoutNote = '# Our conv kernels are [filters, kh, kw, C] (channels last); torch wants [filters, C, kh, kw].\n';
  return `PARAMETER_NAMES = {\n${entries.join('\n')}\n}\n${layouts.length ? layoutNote : ''}TORCH_LAYOUT = {${layouts.length ? `\n${layouts.join('\n')}\n` : ''}}\n`;
}

/**
 * Hand-set weights from the file, as a dict of (shape, values) in our layout; empty when there
 * are none. Batch norm has no hand-set values: its initial ones go along so every tensor loads.
 */
export function inlineWeightsSource(plan: ExportPlan): string {
  const entries: string[] = [];
  const put = (name: string, t: { shape: number[]; data: Float32Array }): void => {
    entries.push(`    ${pyString(name)}: (${JSON.stringify(t.shape)}, [${Array.from(t.data, pyFloat).join(', ')}]),`);
  };
  for (const p of plan.nodes) {
    if (p.weightSource !== 'inline' || !p.weight) continue;
    put(`${p.id}.weight`, p.weight);
    if (p.bias) put(`${p.id}.bias`, p.bias);
  }
  if (entries.length) {
    for (const p of plan.nodes) {
      if (!p.norm) continue;
      const c = pyInt(p.norm.gamma.shape[0], 'a channel count');
      // Initial values (no trained statistics) as an expression, whatever the channel count.
      const initial = (name: string, v: string): void => { entries.push(`    ${pyString(name)}: ([${c}], [${v}] * ${c}),`); };
      if (p.norm.initial) {
        initial(`${p.id}.gamma`, '1.0');
        initial(`${p.id}.beta`, '0.0');
        initial(`${p.id}.moving_mean`, '0.0');
        initial(`${p.id}.moving_variance`, '1.0');
        continue;
      }
      put(`${p.id}.gamma`, p.norm.gamma);
      put(`${p.id}.beta`, p.norm.beta);
      put(`${p.id}.moving_mean`, p.norm.movingMean);
      put(`${p.id}.moving_variance`, p.norm.movingVariance);
    }
  }
  return entries.length ? `INLINE_WEIGHTS = {\n${entries.join('\n')}\n}\n` : 'INLINE_WEIGHTS = {}\n';
}

function fanIn(plan: ExportPlan, p: PlanNode): number {
  return inputOf(plan, p).units;
}

function inputOf(plan: ExportPlan, p: PlanNode): PlanNode {
  return plan.byId.get(p.inputs[0]) as PlanNode;
}

/** The comment after a layer: its node id and label, as one line of inert text. */
function pyComment(p: PlanNode): string {
  return pyDocText(`node ${p.id}${p.node.label ? `: ${p.node.label}` : ''}`);
}
