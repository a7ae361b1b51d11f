/**
 * parseNetwork: text → typed NetworkDoc plus diagnostics with exact ranges. Error-tolerant:
 * it never throws, whatever the text; a node too broken to type is left out and reported.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import {
  FORMAT_VERSION, LAYOUT_DIRECTIONS, NODE_TYPES,
  type Diagnostic, type LayoutDirection, type Edge, type NetworkDoc, type NetworkNode, type NodeType, type TextRange,
} from './types';
import { LineIndex } from './lineIndex';
import { setOwn } from './ownKeys';
import { jsonText } from './textSafety';
import {
  isNodeId, NODE_ID_RULE, NODE_PROPERTIES, NODE_PROPERTY_KINDS, nodePropertyKind, type ValueKind,
} from './fieldRules';
import { completeNode } from './completeNode';
import { readGroups } from './parseGroups';
import { TRAINING_FIELD_KINDS } from './trainingFields';
import {
  describe, listOf, numberIn, oneOf, properties, readerFor, readRecord, reportDuplicateKeys, Reporter, text,
  type FieldContext, type FieldSpec, type Reader,
} from './fieldReaders';

/** The result of parsing one `.nn` text. */
export interface ParsedNetwork {
  /** Undefined when the text is not usable JSON or not format nn/1. */
  doc?: NetworkDoc;
  diagnostics: Diagnostic[];
  /** jsonc-parser's syntax tree (present even for partly broken JSON). */
  root?: Node;
  /** Range of each node's object, by id (first occurrence). */
  nodeRanges: Map<string, TextRange>;
  /** The text that was parsed. */
  text: string;
  /** Offset → line/column for `text`. */
  lines: LineIndex;
  /** Ids of nodes written in the file but left out of `doc.nodes` because they were too broken. */
  brokenIds: Set<string>;
  /** The object node of each node in the file, by id (first occurrence). */
  nodeAst: Map<string, Node>;
  /** The object node of each edge of `doc.edges`, index for index. */
  edgeAst: Node[];
}

/** Nesting deeper than this is rejected before parsing, so junk cannot exhaust the stack. */
const MAX_DEPTH = 64;


const TOP_LEVEL = new Set(['$schema', 'format', 'name', 'description', 'nodes', 'edges', 'training', 'layout', 'groups']);

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'this is not valid JSON here',
  InvalidNumberFormat: 'this number is not written the JSON way',
  PropertyNameExpected: 'a field name in double quotes was expected',
  ValueExpected: 'a value was expected (a number, "text", true/false, [ … ] or { … })',
  ColonExpected: 'a colon (:) was expected after the field name',
  CommaExpected: 'a comma was expected between the items',
  CloseBraceExpected: 'a closing } was expected; the file may be cut short',
  CloseBracketExpected: 'a closing ] was expected; the file may be cut short',
  EndOfFileExpected: 'the file should end after the closing }',
  InvalidCommentToken: 'this comment is not closed',
  UnexpectedEndOfComment: 'this comment is not closed',
  UnexpectedEndOfString: 'this text is not closed with a double quote',
  UnexpectedEndOfNumber: 'this number is cut short',
  InvalidUnicode: 'this \\u escape is not valid',
  InvalidEscapeCharacter: 'this backslash escape is not valid',
  InvalidCharacter: 'this character is not allowed inside text; escape it',
};

const ident: Reader<string> = (node) => String(node.value);
const nodeType = oneOf(NODE_TYPES, 'node type', 'unknown-node-type');

/** The field table of each node type, built from the one statement of the rules (fieldRules.ts). */
const NODE_FIELDS = Object.fromEntries(NODE_TYPES.map((type) => {
  const fields: Record<string, FieldSpec> = { id: { read: ident }, type: { read: ident }, label: { read: readerFor(NODE_PROPERTY_KINDS.label) } };
  const { required, optional } = NODE_PROPERTIES[type];
  for (const key of required) fields[key] = { read: readerFor(nodePropertyKind(key, type) as ValueKind), required: true };
  for (const key of optional) fields[key] = { read: readerFor(nodePropertyKind(key, type) as ValueKind) };
  return [type, fields];
})) as Record<NodeType, Record<string, FieldSpec>>;

/** A reader for a nested object with its own field table. */
function record(fields: Record<string, FieldSpec>): Reader<Record<string, unknown>> {
  return (node, key, ctx, r) => {
    const owner = ctx.owner ? `${ctx.owner}.${key}` : key;
    if (node.type !== 'object') {
      r.add('error', 'wrong-type', `${owner} must be an object { … }, not ${describe(node)}`, node, ctx.nodeId);
      return undefined;
    }
    const { values, complete } = readRecord(node, fields, { owner, nodeId: ctx.nodeId }, r);
    return complete ? values : undefined;
  };
}

/** A file or folder path: text that is not empty (an empty path would name the .nn file's own folder). */
const dataPath: Reader<string> = (node, key, ctx, r) => {
  const v = text(node, key, ctx, r);
  if (v !== undefined && v.trim() === '') {
    r.add('error', 'empty-path', `${ctx.owner}: ${key} is empty; write the path relative to this .nn file`, node, ctx.nodeId);
    return undefined;
  }
  return v;
};

/** A reader of the training setting at `path`, by the one statement of its rule (trainingFields.ts). */
const setting = (path: string): Reader<unknown> => readerFor(TRAINING_FIELD_KINDS[path]);

const DATA_FIELDS: Record<string, Record<string, FieldSpec>> = {
  generator: {
    generator: { read: setting('data.generator'), required: true },
    samples: { read: setting('data.samples') },
    noise: { read: setting('data.noise') },
    seed: { read: setting('data.seed') },
    classes: { read: setting('data.classes') },
  },
  csv: {
    csv: { read: setting('data.csv'), required: true },
    features: { read: setting('data.features') },
    labels: { read: listOf(text, { nonEmpty: true }), required: true },
    categorical: { read: setting('data.categorical') },
    standardize: { read: setting('data.standardize') },
  },
  dataset: { dataset: { read: setting('data.dataset'), required: true } },
  idx: {
    idx: { read: record({ images: { read: dataPath, required: true }, labels: { read: dataPath, required: true } }), required: true },
  },
  imageFolder: { imageFolder: { read: dataPath, required: true } },
};

const dataReader: Reader<Record<string, unknown>> = (node, key, ctx, r) => {
  if (node.type !== 'object') {
    r.add('error', 'wrong-type', `training.data must be an object { … }, not ${describe(node)}`, node);
    return undefined;
  }
  const kinds = Object.keys(DATA_FIELDS).filter((k) => properties(node).some((p) => p.key === k));
  if (kinds.length !== 1) {
    r.add('error', 'data-kind',
      `training.data needs exactly one of "generator", "csv", "dataset", "idx" or "imageFolder"${kinds.length ? ` (found ${kinds.join(' and ')})` : ''}`,
      node);
    return undefined;
  }
  return record(DATA_FIELDS[kinds[0]])(node, key, ctx, r);
};

const TRAINING_FIELDS: Record<string, FieldSpec> = {
  data: { read: dataReader },
  loss: { read: setting('loss') },
  optimizer: {
    read: record({
      type: { read: setting('optimizer.type'), required: true },
      learningRate: { read: setting('optimizer.learningRate') },
      momentum: { read: setting('optimizer.momentum') },
      nesterov: { read: setting('optimizer.nesterov') },
      beta1: { read: setting('optimizer.beta1') },
      beta2: { read: setting('optimizer.beta2') },
      rho: { read: setting('optimizer.rho') },
      epsilon: { read: setting('optimizer.epsilon') },
    }),
  },
  batchSize: { read: setting('batchSize') },
  epochs: { read: setting('epochs') },
  validationSplit: { read: setting('validationSplit') },
  shuffle: { read: setting('shuffle') },
  seed: { read: setting('seed') },
  l1: { read: setting('l1') },
  l2: { read: setting('l2') },
  earlyStopping: {
    read: record({
      monitor: { read: setting('earlyStopping.monitor') },
      patience: { read: setting('earlyStopping.patience'), required: true },
      minDelta: { read: setting('earlyStopping.minDelta') },
      restoreBestWeights: { read: setting('earlyStopping.restoreBestWeights') },
    }),
  },
};

const pinnedReader: Reader<Record<string, { x: number; y: number }>> = (node, key, ctx, r) => {
  const owner = `${ctx.owner}.${key}`;
  if (node.type !== 'object') {
    r.add('error', 'wrong-type', `${owner} must be an object { "nodeId": { "x": …, "y": … } }, not ${describe(node)}`, node);
    return undefined;
  }
  const out: Record<string, { x: number; y: number }> = {};
  const xy = record({ x: { read: numberIn(), required: true }, y: { read: numberIn(), required: true } });
  for (const p of properties(node)) {
    if (!p.value) continue;
    const v = xy(p.value, p.key, { owner }, r);
    if (v) setOwn(out, p.key, v as { x: number; y: number });
  }
  return out;
};

/** The editor's layout direction; a wrong one is only a warning (it changes no training), and the editor chooses meanwhile. */
const directionReader: Reader<LayoutDirection> = (node, key, ctx, r) => {
  if (node.type === 'string' && (LAYOUT_DIRECTIONS as readonly unknown[]).includes(node.value)) return node.value as LayoutDirection;
  r.add('warning', 'unknown-direction',
    `${ctx.owner}.${key} must be "auto" (chosen for the graph and the window), "right" (left to right) or "down" (top to bottom), not ${describe(node)}; the editor chooses the direction until it is fixed`,
    node);
  return undefined;
};

const LAYOUT_FIELDS: Record<string, FieldSpec> = {
  pinned: { read: pinnedReader },
  direction: { read: directionReader },
};

/**
 * Whether the text nests { } and [ ] deeper than `limit`, found by one pass over its characters
 * (strings and comments skipped, no recursion, stopping early). A character loop, not
 * jsonc-parser's scanner: this runs before every parse, and the scanner pass cost as much as the
 * parse itself on a large file.
 */
function nestingDepthExceeds(textIn: string, limit: number): { offset: number } | undefined {
  let depth = 0;
  const n = textIn.length;
  for (let i = 0; i < n; i++) {
    const c = textIn.charCodeAt(i);
    if (c === 0x22) { // "…": skip to the closing quote, past escapes; a line break ends a broken string.
      for (i++; i < n; i++) {
        const d = textIn.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22 || d === 0x0a || d === 0x0d) break;
      }
    } else if (c === 0x2f && textIn.charCodeAt(i + 1) === 0x2f) { // // comment
      while (i < n && textIn.charCodeAt(i) !== 0x0a && textIn.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x2f && textIn.charCodeAt(i + 1) === 0x2a) { // /* comment */
      const end = textIn.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return { offset: i };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

/** Parses `.nn` text; never throws. See ParsedNetwork for what comes back. */
export function parseNetwork(input: string): ParsedNetwork {
  const lines = new LineIndex(input);
  const r = new Reporter(lines);
  const result: ParsedNetwork = {
    diagnostics: r.diagnostics, nodeRanges: new Map(), text: input, lines,
    brokenIds: new Set(), nodeAst: new Map(), edgeAst: [],
  };
  const deep = nestingDepthExceeds(input, MAX_DEPTH);
  if (deep) {
    r.add('error', 'too-deep', `the file nests { } and [ ] more than ${MAX_DEPTH} levels deep; an nn/1 file needs at most 6`, { offset: deep.offset, length: 1 });
    return result;
  }
  const errors: ParseError[] = [];
  // A byte order mark is read as whitespace (VS Code opens such a file as usual); offsets are unchanged.
  const root = parseTree(jsonText(input), errors, { disallowComments: false, allowTrailingComma: false, allowEmptyContent: true });
  result.root = root;
  for (const e of errors.slice(0, 20)) {
    const name = printParseErrorCode(e.error);
    r.add('error', 'syntax', `JSON syntax: ${SYNTAX_MESSAGES[name] ?? name}`, { offset: e.offset, length: Math.max(1, e.length) });
  }
  if (errors.length) return result;
  if (!root || root.type !== 'object') {
    r.add('error', 'not-an-object', 'an .nn file is one JSON object: { "format": "nn/1", "nodes": [ … ], "edges": [ … ] }',
      root ?? { offset: 0, length: input.length });
    return result;
  }
  reportDuplicateKeys(root, r);
  const props = properties(root);
  const formatProp = props.find((p) => p.key === 'format');
  if (!formatProp || !formatProp.value) {
    r.add('error', 'format-missing', `the file has no "format" field; add "format": "${FORMAT_VERSION}" as its first line`, { offset: root.offset, length: 1 });
    return result;
  }
  if (formatProp.value.value !== FORMAT_VERSION) {
    r.add('error', 'format-version',
      `unknown format ${describe(formatProp.value)}: this version of Neural Canvas reads "${FORMAT_VERSION}"; update the extension or convert the file`,
      formatProp.value);
    return result;
  }
  const doc: NetworkDoc = { format: FORMAT_VERSION, nodes: [], edges: [] };
  const ctx: FieldContext = { owner: 'file' };
  for (const p of props) {
    if (!p.value) continue;
    if (!TOP_LEVEL.has(p.key)) {
      r.add('warning', 'unknown-field', `unknown top-level field '${p.key}' is kept but ignored`, p.keyNode);
      continue;
    }
    switch (p.key) {
      case 'name': case 'description': {
        const v = text(p.value, p.key, ctx, r);
        if (v !== undefined) doc[p.key] = v;
        break;
      }
      case 'nodes': readNodes(p.value, doc, result, r); break;
      case 'edges': readEdges(p.value, doc, result, r); break;
      case 'training': {
        const v = record(TRAINING_FIELDS)(p.value, 'training', { owner: '' }, r);
        if (v) doc.training = v;
        break;
      }
      case 'layout': {
        const v = record(LAYOUT_FIELDS)(p.value, 'layout', { owner: '' }, r);
        if (v) doc.layout = v;
        break;
      }
      case 'groups': readGroups(p.value, doc, r); break;
    }
  }
  if (!props.some((p) => p.key === 'nodes')) {
    r.add('error', 'missing-field', 'the file has no "nodes" list; add "nodes": [ { "id": "x", "type": "input", "units": 2 } ]', { offset: root.offset, length: 1 });
  }
  result.doc = doc;
  return result;
}

function readNodes(list: Node, doc: NetworkDoc, result: ParsedNetwork, r: Reporter): void {
  if (list.type !== 'array') {
    r.add('error', 'wrong-type', `nodes must be a list [ … ] of node objects, not ${describe(list)}`, list);
    return;
  }
  (list.children ?? []).forEach((obj, i) => {
    if (obj.type !== 'object') {
      r.add('error', 'wrong-type', `nodes[${i}] must be an object { "id": …, "type": … }, not ${describe(obj)}`, obj);
      return;
    }
    const props = properties(obj);
    const idNode = props.find((p) => p.key === 'id')?.value;
    const typeNode = props.find((p) => p.key === 'type')?.value;
    if (!idNode || idNode.type !== 'string' || !isNodeId(idNode.value)) {
      r.add('error', idNode ? 'invalid-id' : 'missing-field',
        idNode ? `nodes[${i}]: id must be text of ${NODE_ID_RULE}, not ${describe(idNode)}`
          : `nodes[${i}] has no "id"; give it a unique name like "hidden1"`,
        idNode ?? { offset: obj.offset, length: 1 });
      return;
    }
    const id = String(idNode.value);
    if (!result.nodeAst.has(id)) {
      result.nodeAst.set(id, obj);
      result.nodeRanges.set(id, result.lines.range(obj.offset, obj.length));
    }
    if (!typeNode) {
      r.add('error', 'missing-field', `node '${id}' has no "type"; use one of ${NODE_TYPES.join(', ')}`, idNode, id);
      result.brokenIds.add(id);
      return;
    }
    const type = nodeType(typeNode, 'type', { owner: `node '${id}'`, nodeId: id }, r);
    if (!type) {
      result.brokenIds.add(id);
      return;
    }
    const nodeCtx = { owner: `${type} '${id}'`, nodeId: id };
    const { values, complete } = readRecord(obj, NODE_FIELDS[type], nodeCtx, r, props);
    if (!complete || !completeNode(type, values, obj, props, nodeCtx, r)) {
      result.brokenIds.add(id);
      return;
    }
    doc.nodes.push(values as unknown as NetworkNode);
  });
}

function readEdges(list: Node, doc: NetworkDoc, result: ParsedNetwork, r: Reporter): void {
  if (list.type !== 'array') {
    r.add('error', 'wrong-type', `edges must be a list [ … ] of { "from": …, "to": … }, not ${describe(list)}`, list);
    return;
  }
  // A copy of an edge is ignored everywhere: it is left out of the document here, once, so the
  // analysis, engine, exporters and editor all see each connection once.
  const seen = new Set<string>();
  (list.children ?? []).forEach((obj, i) => {
    const owner = `edges[${i}]`;
    if (obj.type !== 'object') {
      r.add('error', 'wrong-type', `${owner} must be an object { "from": "x", "to": "hidden" }, not ${describe(obj)}`, obj);
      return;
    }
    const { values, complete } = readRecord(obj, { from: { read: text, required: true }, to: { read: text, required: true } }, { owner }, r);
    if (!complete) return;
    const e = values as unknown as Edge;
    const key = `${e.from}\u0000${e.to}`;
    if (seen.has(key)) {
      r.add('warning', 'duplicate-edge', `the edge '${e.from}' → '${e.to}' is written twice; the copy is ignored`, obj, e.to);
      return;
    }
    seen.add(key);
    doc.edges.push(e);
    result.edgeAst.push(obj);
  });
}
