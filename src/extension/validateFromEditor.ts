/**
 * Host-side validation of every message from the editor webview. A webview is not trusted
 * input: anything that does not match FromEditor exactly is rejected with a reason, before the
 * host reads a single field of it. Pure (no vscode import) so unit tests can cover it.
 */
import { NODE_TYPES, type NodeType } from '../model/types';
import { fitsNodeProperty, isNodeId, kindText, NODE_ID_PATTERN, NODE_ID_RULE, NODE_PROPERTIES, NODE_PROPERTY_KINDS } from '../model/fieldRules';
import type { FromEditor, JsonValue } from '../protocol';

/** Node ids as the format allows them: the model's one rule (src/model/fieldRules.ts). */
export { NODE_ID_PATTERN };

/** The node properties the editor's inspector may set; each value must pass the model's rule for it. */
const EDITABLE_KEYS = ['units', 'activation', 'alpha', 'rate', 'label', 'useBias', 'features'] as const;

/** Node properties the editor may set, with the check each value must pass (the model's field rules). */
export const EDITABLE_PROPERTIES: Readonly<Record<string, (v: JsonValue) => boolean>> = Object.fromEntries(
  EDITABLE_KEYS.map((key) => [key, (v: JsonValue) => fitsNodeProperty(key, v)]),
);

/** Thrown (as a value) when a message is not acceptable; the text says why. */
export class InvalidMessage {
  constructor(readonly reason: string) {}
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is string {
  return isNodeId(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isPoint(v: unknown): v is { x: number; y: number } {
  return isObject(v) && isFiniteNumber(v.x) && isFiniteNumber(v.y) && Math.abs(v.x) < 1e7 && Math.abs(v.y) < 1e7 && Object.keys(v).length === 2;
}

/** A JSON value of bounded depth and size (no functions, no cycles, finite numbers). */
function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 8) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.length <= 100_000 && v.every((e) => isJsonValue(e, depth + 1));
  if (isObject(v)) return Object.keys(v).length <= 1000 && Object.values(v).every((e) => isJsonValue(e, depth + 1));
  return false;
}


/** Checks a node sent by the view (add, paste); returns the reason it is unacceptable, or undefined. */
export function nodeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'a node must be an object';
  if (!isId(v.id)) return `node id ${JSON.stringify(v.id)} is not valid: use ${NODE_ID_RULE}`;
  if (typeof v.type !== 'string' || !(NODE_TYPES as readonly string[]).includes(v.type)) return `node type ${JSON.stringify(v.type)} is unknown`;
  const { required, optional } = NODE_PROPERTIES[v.type as NodeType];
  const allowed = new Set(['id', 'type', 'label', ...required, ...optional]);
  for (const key of Object.keys(v)) {
    if (!allowed.has(key)) return `a ${v.type} node has no property "${key}"`;
    if (key === 'id' || key === 'type') continue;
    const value = v[key];
    if (!(isJsonValue(value) && fitsNodeProperty(key, value))) return `${key} must be ${kindText(NODE_PROPERTY_KINDS[key])}, not ${JSON.stringify(value)}`;
  }
  const missing = required.find((key) => v[key] === undefined);
  if (missing) return `a ${v.type} node needs ${missing === 'activation' ? 'an activation' : missing === 'units' ? 'units' : `a ${missing}`}`;
  return undefined;
}

function expectKeys(m: Record<string, unknown>, keys: string[]): void {
  for (const key of Object.keys(m)) {
    if (!keys.includes(key)) throw new InvalidMessage(`unexpected field "${key}" in a "${String(m.type)}" message`);
  }
}

function requireId(m: Record<string, unknown>, field: string): void {
  if (!isId(m[field])) throw new InvalidMessage(`"${field}" must be a node id, got ${JSON.stringify(m[field])}`);
}

function requireRequestId(m: Record<string, unknown>): void {
  if (!(typeof m.requestId === 'number' && Number.isSafeInteger(m.requestId) && m.requestId >= 0)) {
    throw new InvalidMessage(`"${String(m.type)}" needs a numeric requestId`);
  }
}

function requireIdList(m: Record<string, unknown>, field: string): void {
  const v = m[field];
  if (!Array.isArray(v) || v.length === 0 || v.length > 10_000 || !v.every(isId)) throw new InvalidMessage(`"${field}" must be a non-empty list of node ids`);
}

/**
 * Returns the message typed as FromEditor when it is exactly one, or an InvalidMessage saying
 * what was wrong. Never throws.
 */
export function validateFromEditor(raw: unknown): FromEditor | InvalidMessage {
  try {
    if (!isObject(raw) || typeof raw.type !== 'string') throw new InvalidMessage('a message must be an object with a string "type"');
    const m = raw;
    switch (m.type) {
      case 'ready':
      case 'openTextEditor':
        expectKeys(m, ['type']);
        break;
      case 'selectionChanged':
        expectKeys(m, ['type', 'ids']);
        if (!Array.isArray(m.ids) || m.ids.length > 10_000 || !m.ids.every(isId)) throw new InvalidMessage('"ids" must be a list of node ids');
        break;
      case 'rendered':
        expectKeys(m, ['type', 'version', 'nodes', 'errorState', 'ms']);
        if (!(Number.isSafeInteger(m.version) && Number.isSafeInteger(m.nodes) && (m.nodes as number) >= 0)) throw new InvalidMessage('"version" and "nodes" must be whole numbers');
        if (typeof m.errorState !== 'boolean' || !isFiniteNumber(m.ms)) throw new InvalidMessage('"errorState" must be true or false and "ms" a number');
        break;
      case 'response':
        expectKeys(m, ['type', 'requestId', 'ok', 'value', 'error']);
        requireRequestId(m);
        if (typeof m.ok !== 'boolean') throw new InvalidMessage('"ok" must be true or false');
        if (m.value !== undefined && !isJsonValue(m.value)) throw new InvalidMessage('"value" must be plain JSON');
        if (m.error !== undefined && typeof m.error !== 'string') throw new InvalidMessage('"error" must be text');
        break;
      case 'addNode': {
        expectKeys(m, ['type', 'requestId', 'node', 'after', 'position']);
        requireRequestId(m);
        const problem = nodeProblem(m.node);
        if (problem) throw new InvalidMessage(problem);
        if (m.after !== undefined) requireId(m, 'after');
        if (m.position !== undefined && !isPoint(m.position)) throw new InvalidMessage('"position" must be {x, y} with finite numbers');
        break;
      }
      case 'removeNodes':
      case 'unpin':
        expectKeys(m, ['type', 'requestId', 'ids']);
        requireRequestId(m);
        requireIdList(m, 'ids');
        break;
      case 'connect':
      case 'disconnect':
        expectKeys(m, ['type', 'requestId', 'from', 'to']);
        requireRequestId(m);
        requireId(m, 'from');
        requireId(m, 'to');
        break;
      case 'setProperty': {
        expectKeys(m, ['type', 'requestId', 'id', 'key', 'value']);
        requireRequestId(m);
        requireId(m, 'id');
        if (typeof m.key !== 'string' || !Object.hasOwn(EDITABLE_PROPERTIES, m.key)) throw new InvalidMessage(`property ${JSON.stringify(m.key)} cannot be edited from the graph`);
        if (m.value !== undefined && !(isJsonValue(m.value) && EDITABLE_PROPERTIES[m.key](m.value))) {
          throw new InvalidMessage(`${JSON.stringify(m.value)} is not a valid value for "${m.key}"`);
        }
        if (m.value === undefined && (m.key === 'units' || m.key === 'rate')) throw new InvalidMessage(`"${m.key}" cannot be removed`);
        break;
      }
      case 'rename':
        expectKeys(m, ['type', 'requestId', 'oldId', 'newId']);
        requireRequestId(m);
        requireId(m, 'oldId');
        requireId(m, 'newId');
        break;
      case 'pin': {
        expectKeys(m, ['type', 'requestId', 'positions']);
        requireRequestId(m);
        const p = m.positions;
        if (!isObject(p) || Object.keys(p).length === 0 || Object.keys(p).length > 10_000) throw new InvalidMessage('"positions" must map node ids to {x, y}');
        for (const [id, pt] of Object.entries(p)) {
          if (!isId(id) || !isPoint(pt)) throw new InvalidMessage(`position of ${JSON.stringify(id)} must be {x, y} with finite numbers`);
        }
        break;
      }
      case 'paste': {
        expectKeys(m, ['type', 'requestId', 'nodes', 'edges']);
        requireRequestId(m);
        if (!Array.isArray(m.nodes) || m.nodes.length === 0 || m.nodes.length > 10_000) throw new InvalidMessage('"nodes" must be a non-empty list');
        for (const n of m.nodes) {
          const problem = nodeProblem(n);
          if (problem) throw new InvalidMessage(problem);
        }
        if (!Array.isArray(m.edges) || !m.edges.every((e) => isObject(e) && isId(e.from) && isId(e.to) && Object.keys(e).length === 2)) {
          throw new InvalidMessage('"edges" must be a list of {from, to} node ids');
        }
        break;
      }
      default:
        throw new InvalidMessage(`unknown message type ${JSON.stringify(m.type)}`);
    }
    return m as unknown as FromEditor;
  } catch (e) {
    if (e instanceof InvalidMessage) return e;
    throw e;
  }
}

