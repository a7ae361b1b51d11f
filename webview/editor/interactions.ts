/**
 * Mouse and keyboard on the graph: select (click, shift/ctrl-click, shift-drag box, Ctrl+A),
 * move and pin (drag), connect (drag from an output port to a node), pan (drag the background),
 * scroll (wheel), zoom (Ctrl+wheel), palette drops, and the keyboard map (arrows follow edges, Enter inspects,
 * Delete deletes, F2 renames, E expands, C connects to a node chosen with the arrows, Ctrl+C/X/V, +/-/0;
 * selecting several: Shift+arrow extends the selection, Ctrl+arrow moves the focus alone, Ctrl+Space
 * or Shift+Space adds or takes out the focused node, Ctrl+A selects all, Escape selects none),
 * and groups (Ctrl+G groups the selection, Ctrl+Shift+G ungroups; a double press, Enter or the
 * button on a collapsed group's box expands it).
 */
import type { NetworkDoc } from '../../src/model/types';
import type { IntentBody } from '../../src/protocol';
import { copySelection, parseClipboard, preparePaste } from './clipboard';
import type { ClipboardContent } from './clipboard';
import { connectionRefusal } from './connectRules';
import { s } from './dom';
import { navigate } from './graphNavigation';
import { setOwn } from '../../src/model/ownKeys';
import type { Centre } from './graphNavigation';
import type { Point } from './geometry';
import type { KeyboardConnect } from './keyboardConnect';
import type { GroupCommands } from './groupActions';
import type { GraphRenderer } from './graphRenderer';
import { PALETTE, PALETTE_MIME } from './palette';
import type { PaletteEntry } from './palette';
import type { SelectionModel } from './selection';
import type { Viewport } from './viewport';

/** What the interactions may use of the editor: they change the selection and send intents, nothing else. */
export interface InteractionHost {
  readonly renderer: Pick<GraphRenderer, 'svg' | 'overlay' | 'positions' | 'view' | 'ids' | 'placeNow'>;
  readonly viewport: Pick<Viewport, 't' | 'zoom' | 'pan' | 'toGraph' | 'centreOn' | 'visible'>;
  readonly selection: SelectionModel;
  /** The outline list (rows carry `data-outline-id`). */
  readonly outline: HTMLElement;
  /** The network shown now; undefined in the error state. */
  doc(): NetworkDoc | undefined;
  /** Node ids in data-flow order, when known. */
  order(): readonly string[] | undefined;
  send(intent: IntentBody): void;
  showNotice(message: string, level?: 'info' | 'error'): void;
  addFromPalette(p: PaletteEntry, opts?: { after?: string; at?: Point }): void;
  fit(): void;
  toggleExpand(id: string): void;
  /** Connecting from the keyboard (C). */
  readonly keyboardConnect: Pick<KeyboardConnect, 'start' | 'key' | 'cancel'>;
  /** Collapsed groups' boxes and the group commands (Ctrl+G, Ctrl+Shift+G; Enter or a double-click on a box). */
  readonly groups: GroupCommands;
}

let clipboard: ClipboardContent | undefined;

/** The last press on the graph, to tell a double press; forgotten at a key or a press elsewhere. */
let lastPress = { id: '', at: 0, x: 0, y: 0 };

/**
 * Whether this press on `id` directly follows one on the same element, within the double-click
 * time and at about the same place. Call it for every press on the graph ('' off the nodes).
 */
function secondPress(id: string, e: PointerEvent): boolean {
  const second = !!id && lastPress.id === id && e.timeStamp - lastPress.at < 500 && Math.hypot(e.clientX - lastPress.x, e.clientY - lastPress.y) < 6;
  lastPress = second ? { id: '', at: 0, x: 0, y: 0 } : { id, at: e.timeStamp, x: e.clientX, y: e.clientY };
  return second;
}

/** Two presses with a key or a press elsewhere between them are two single presses. */
function forgetPress(): void {
  lastPress = { id: '', at: 0, x: 0, y: 0 };
}

function nodeIdAt(target: EventTarget | null): string | undefined {
  return (target as Element | null)?.closest?.('[data-node-id]')?.getAttribute('data-node-id') ?? undefined;
}

/** Wires every pointer and keyboard handler of the graph. */
export function attachInteractions(host: InteractionHost): void {
  const svg = host.renderer.svg;
  const canvas = svg.parentElement as HTMLElement;

  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    // The wheel scrolls (Shift: sideways), as in the text editor: a graph too big to read whole is
    // scrolled through at a readable size. Ctrl/Cmd+wheel (and a pinch) zooms at the pointer.
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? r.height : 1;
    if (e.ctrlKey || e.metaKey) host.viewport.zoom(Math.exp(-e.deltaY * unit * 0.0015), e.clientX - r.left, e.clientY - r.top);
    else if (e.shiftKey && !e.deltaX) host.viewport.pan(-e.deltaY * unit, 0);
    else host.viewport.pan(-e.deltaX * unit, -e.deltaY * unit);
  }, { passive: false });

  // Capture: a key the find box or an inspector field keeps to itself still counts.
  svg.ownerDocument.addEventListener('keydown', forgetPress, true);
  svg.ownerDocument.addEventListener('pointerdown', (e) => { if (!svg.contains(e.target as Node)) forgetPress(); }, true);

  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return forgetPress();
    host.keyboardConnect.cancel(true);
    const target = e.target as Element;
    const id = nodeIdAt(target);
    // No text selection while dragging; focus moves to the graph for the keyboard map.
    e.preventDefault();
    // A mouse user needs no focus ring; the keyboard map still works from here.
    svg.focus({ preventScroll: true, focusVisible: false } as FocusOptions);
    // A second press on a box expands it (the dblclick event is lost when the first press redraws the box as selected).
    const second = secondPress(id ?? '', e);
    const groupToggle = target.closest('[data-group-toggle]');
    if (groupToggle) return host.groups.toggle(groupToggle.getAttribute('data-group-toggle') ?? '');
    if (second && id && host.groups.isBox(id)) return host.groups.toggle(id);
    if (id && target.closest('.port-out')) return startConnect(host, id, e);
    if (id) return startNodeDrag(host, id, e);
    const edge = target.closest('.edge');
    if (edge) {
      host.selection.selectEdge({ from: edge.getAttribute('data-from') ?? '', to: edge.getAttribute('data-to') ?? '' });
      return;
    }
    if (e.shiftKey) return startBoxSelect(host, e);
    startPan(host, e);
  });

  svg.addEventListener('dblclick', (e) => {
    const id = nodeIdAt(e.target);
    if (id && host.groups.isBox(id)) return; // Its second press expanded it.
    if (id) focusInspector(host, 'id');
  });

  canvas.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  });
  canvas.addEventListener('drop', (e) => {
    const key = e.dataTransfer?.getData(PALETTE_MIME);
    const entry = PALETTE.find((p) => p.key === key);
    if (!entry) return;
    e.preventDefault();
    const onto = nodeIdAt(document.elementFromPoint(e.clientX, e.clientY));
    if (onto) host.addFromPalette(entry, { after: onto });
    else host.addFromPalette(entry, { at: host.viewport.toGraph(e.clientX, e.clientY) });
  });

  svg.addEventListener('keydown', (e) => onKey(host, e));

  const outline = host.outline;
  const pick = (e: Event): void => {
    const id = (e.target as Element).closest('[data-outline-id]')?.getAttribute('data-outline-id');
    if (!id) return;
    host.selection.select(id);
    const p = host.renderer.positions.get(id);
    const v = host.renderer.view(id);
    if (p && v) host.viewport.centreOn(p.x + v.width / 2, p.y + v.height / 2);
  };
  outline.addEventListener('click', pick);
  outline.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') {
      pick(e);
      svg.focus();
    }
  });
}

function focusInspector(host: InteractionHost, field?: string): void {
  const root = document.querySelector('.inspector');
  const el = (field ? root?.querySelector(`[data-field="${field}"]`) : null) ?? root?.querySelector('[data-field]');
  (el as HTMLElement | null)?.focus();
  if (!el) host.showNotice('Select a node first.', 'info');
}

function drag(e: PointerEvent, onMove: (m: PointerEvent) => void, onUp: (u: PointerEvent) => void): void {
  // Capture on the stable root: the element under the pointer may be redrawn (selection) mid-drag.
  const el = (e.currentTarget ?? e.target) as Element;
  el.setPointerCapture?.(e.pointerId);
  const move = (m: PointerEvent): void => onMove(m);
  const up = (u: PointerEvent): void => {
    el.removeEventListener('pointermove', move as EventListener);
    el.removeEventListener('pointerup', up as EventListener);
    onUp(u);
  };
  el.addEventListener('pointermove', move as EventListener);
  el.addEventListener('pointerup', up as EventListener);
}

function startPan(host: InteractionHost, e: PointerEvent): void {
  let last = { x: e.clientX, y: e.clientY };
  let moved = false;
  host.renderer.svg.classList.add('panning');
  drag(e, (m) => {
    moved = true;
    host.viewport.pan(m.clientX - last.x, m.clientY - last.y);
    last = { x: m.clientX, y: m.clientY };
  }, () => {
    host.renderer.svg.classList.remove('panning');
    if (!moved) host.selection.clear();
  });
}

function startNodeDrag(host: InteractionHost, id: string, e: PointerEvent): void {
  const toggle = e.shiftKey || e.ctrlKey || e.metaKey;
  if (toggle) return host.selection.toggle(id);
  if (!host.selection.has(id)) host.selection.select(id);
  const start = host.viewport.toGraph(e.clientX, e.clientY);
  const origins = new Map(host.selection.ids.map((n) => [n, { ...(host.renderer.positions.get(n) ?? { x: 0, y: 0 }) }]));
  let moved = false;
  drag(e, (m) => {
    const p = host.viewport.toGraph(m.clientX, m.clientY);
    const dx = p.x - start.x;
    const dy = p.y - start.y;
    if (!moved && Math.hypot(dx, dy) * host.viewport.t.scale < 4) return;
    moved = true;
    host.renderer.placeNow(new Map([...origins].map(([n, o]) => [n, { x: o.x + dx, y: o.y + dy }])));
  }, () => {
    if (!moved) return;
    const positions: Record<string, Point> = {};
    for (const n of origins.keys()) {
      if (host.groups.isBox(n)) continue; // A box is placed by the layout, never pinned.
      const q = host.renderer.positions.get(n) as Point;
      setOwn(positions, n, { x: Math.round(q.x), y: Math.round(q.y) }); // n may be '__proto__'
    }
    if (Object.keys(positions).length) host.send({ type: 'pin', positions });
  });
}

function startConnect(host: InteractionHost, from: string, e: PointerEvent): void {
  const p = host.renderer.positions.get(from) as Point;
  const v = host.renderer.view(from);
  if (!p || !v) return;
  const x1 = p.x + v.width;
  const y1 = p.y + v.height / 2;
  const line = s('path', { class: 'connect-line' });
  host.renderer.overlay.append(line);
  let hover: Element | undefined;
  drag(e, (m) => {
    const q = host.viewport.toGraph(m.clientX, m.clientY);
    line.setAttribute('d', `M${x1},${y1} C${x1 + 40},${y1} ${q.x - 40},${q.y} ${q.x},${q.y}`);
    const over = document.elementFromPoint(m.clientX, m.clientY)?.closest('[data-node-id]')?.querySelector('.port-in') ?? undefined;
    if (over !== hover) {
      hover?.classList.remove('target');
      over?.classList.add('target');
      hover = over;
    }
  }, (u) => {
    line.remove();
    hover?.classList.remove('target');
    const to = nodeIdAt(document.elementFromPoint(u.clientX, u.clientY));
    if (!to || to === from && !hover) return;
    requestConnect(host, from, to);
  });
}

/** Connects two nodes, or says why not. */
export function requestConnect(host: InteractionHost, from: string, to: string): void {
  const doc = host.doc();
  if (!doc) return;
  const reason = connectionRefusal(doc, from, to);
  if (reason) host.showNotice(`Cannot connect: ${reason}`, 'error');
  else host.send({ type: 'connect', from, to });
}

function startBoxSelect(host: InteractionHost, e: PointerEvent): void {
  const a = host.viewport.toGraph(e.clientX, e.clientY);
  const box = s('rect', { class: 'select-box' });
  host.renderer.overlay.append(box);
  let r = { x: a.x, y: a.y, width: 0, height: 0 };
  drag(e, (m) => {
    const b = host.viewport.toGraph(m.clientX, m.clientY);
    r = { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
    for (const [k, v] of Object.entries(r)) box.setAttribute(k, String(v));
  }, () => {
    box.remove();
    host.selection.add(host.renderer.ids().filter((id) => {
      const p = host.renderer.positions.get(id);
      const v = host.renderer.view(id);
      return !!p && !!v && p.x >= r.x && p.y >= r.y && p.x + v.width <= r.x + r.width && p.y + v.height <= r.y + r.height;
    }));
  });
}

function centres(host: InteractionHost): Map<string, Centre> {
  const out = new Map<string, Centre>();
  for (const id of host.renderer.ids()) {
    const p = host.renderer.positions.get(id);
    const v = host.renderer.view(id);
    if (p && v) out.set(id, { x: p.x + v.width / 2, y: p.y + v.height / 2 });
  }
  return out;
}

function onKey(host: InteractionHost, e: KeyboardEvent): void {
  const doc = host.doc();
  if (!doc) return;
  const mod = e.ctrlKey || e.metaKey;
  const current = host.selection.focused;
  const handled = (): void => { e.preventDefault(); e.stopPropagation(); };
  if (host.keyboardConnect.key(e)) return handled();
  switch (e.key) {
    case 'ArrowLeft': case 'ArrowRight': case 'ArrowUp': case 'ArrowDown': {
      handled();
      const first = host.order()?.[0] ?? doc.nodes[0]?.id;
      const next = current ? navigate(current, e.key, host.groups.edges(doc.edges), centres(host)) : first;
      if (next) {
        // Shift extends the selection to the next node, Ctrl (Cmd) moves only the focus.
        if (e.shiftKey) host.selection.extend(next);
        else if (mod) host.selection.focus(next);
        else host.selection.select(next);
        const p = host.renderer.positions.get(next);
        const v = host.renderer.view(next);
        const vis = host.viewport.visible();
        if (p && v && (p.x < vis.x || p.y < vis.y || p.x + v.width > vis.x + vis.width || p.y + v.height > vis.y + vis.height)) host.viewport.centreOn(p.x + v.width / 2, p.y + v.height / 2);
      }
      return;
    }
    case 'Enter':
      handled();
      if (current && host.groups.isBox(current)) host.groups.toggle(current);
      else focusInspector(host);
      return;
    case 'F2':
      handled();
      focusInspector(host, 'id');
      return;
    case 'Delete': case 'Backspace':
      handled();
      if (host.selection.size) host.send({ type: 'removeNodes', ids: host.groups.nodesOf(host.selection.ids) });
      else if (host.selection.edge && (host.groups.isBox(host.selection.edge.from) || host.groups.isBox(host.selection.edge.to))) host.showNotice('This connection leads into a collapsed group: expand the group (Enter) to remove one of its connections.', 'info');
      else if (host.selection.edge) host.send({ type: 'disconnect', from: host.selection.edge.from, to: host.selection.edge.to });
      return;
    case 'Escape':
      handled();
      host.selection.clear(true);
      return;
    case ' ':
      if (!current || !(mod || e.shiftKey)) return;
      handled();
      // Shift+Space adds the focused node; Ctrl+Space adds it or takes it out.
      if (e.shiftKey && !mod) host.selection.extend(current);
      else host.selection.toggleFocused();
      return;
    case '+': case '=':
      handled();
      host.viewport.zoom(1.25);
      return;
    case '-':
      handled();
      host.viewport.zoom(0.8);
      return;
    case '0':
      handled();
      host.fit();
      return;
  }
  if (!mod && !e.altKey && (e.key === 'c' || e.key === 'C') && current) {
    handled();
    host.keyboardConnect.start(current);
    return;
  }
  if (!mod && (e.key === 'e' || e.key === 'E') && current) {
    handled();
    host.toggleExpand(current);
    return;
  }
  if (!mod) return;
  const key = e.key.toLowerCase();
  if (key === 'g') {
    handled();
    if (e.shiftKey) host.groups.ungroup();
    else host.groups.group();
    return;
  }
  if (key === 'a') {
    handled();
    // Every node drawn (a collapsed group counts as its box), in data-flow order.
    const drawn = new Set(host.renderer.ids());
    host.selection.selectAll([...new Set([...(host.order() ?? []).map((id) => host.groups.shownAs(id)), ...drawn])].filter((id) => drawn.has(id)));
  } else if (key === 'c' || key === 'x') {
    const content = copySelection(doc, new Set(host.groups.nodesOf(host.selection.ids)));
    if (!content) return;
    handled();
    clipboard = content;
    void navigator.clipboard?.writeText(JSON.stringify(content)).catch(() => undefined);
    if (key === 'x') host.send({ type: 'removeNodes', ids: host.groups.nodesOf(host.selection.ids) });
    else host.showNotice(`Copied ${content.nodes.length} node${content.nodes.length > 1 ? 's' : ''}.`);
  } else if (key === 'v') {
    handled();
    const paste = (content: ClipboardContent): void => {
      const { nodes, edges } = preparePaste(doc, content);
      host.send({ type: 'paste', nodes, edges });
    };
    if (clipboard) paste(clipboard);
    else void navigator.clipboard?.readText().then((t) => { const c = parseClipboard(t); if (c) paste(c); }).catch(() => undefined);
  }
}
