/**
 * How groups look: a collapsed group's box (drawn by the renderer as a node, then finished here:
 * a stack behind it, the group glyph, an expand button, no ports) and a frame around the members
 * of an expanded group (its label and a collapse button), kept around them as they move.
 */
import { s } from './dom';
import { FRAME_HEAD_EM, FRAME_PAD_EM } from './elkGraph';
import type { DrawnGroup } from './groupView';
import type { ViewNode } from './viewModel';

/** What the frames need of the graph renderer (its viewport group, node places and views). */
export interface GroupFrameHost {
  readonly viewport: SVGGElement;
  readonly positions: ReadonlyMap<string, { x: number; y: number }>;
  view(id: string): ViewNode | undefined;
}

const GROUP_GLYPH = '\ueb97'; // codicon group-by-ref-type
const EXPAND_GLYPH = '\ueab6'; // chevron-right
const COLLAPSE_GLYPH = '\ueab4'; // chevron-down

/** The button that collapses or expands group `id` (clicks are handled by the interactions). */
function toggleButton(id: string, label: string, collapsed: boolean, x: number, y: number, em: number): SVGGElement {
  const action = `${collapsed ? 'Expand' : 'Collapse'} group ${label}`;
  return s('g', { class: 'group-toggle', 'data-group-toggle': id, role: 'button', 'aria-label': action, transform: `translate(${x},${y})` },
    s('rect', { width: em * 1.4, height: em * 1.4, rx: em * 0.3 }),
    s('text', { class: 'glyph', x: em * 0.7, y: em * 1.05, 'text-anchor': 'middle', 'aria-hidden': 'true' }, collapsed ? EXPAND_GLYPH : COLLAPSE_GLYPH),
    s('title', {}, `${action} (double-click or Enter)`));
}

/** Finishes a collapsed group's box, drawn by the renderer as a node. */
export function drawGroupBox(g: SVGGElement, v: ViewNode, em: number): void {
  g.classList.remove(`type-${v.node.type}`);
  g.classList.add('group-box');
  g.setAttribute('data-group-id', v.id);
  g.setAttribute('aria-roledescription', 'collapsed group');
  for (const port of g.querySelectorAll('.port')) port.remove();
  const iconEl = g.querySelector('.node-icon');
  if (iconEl) iconEl.textContent = GROUP_GLYPH;
  g.prepend(s('rect', { class: 'group-stack', x: em * 0.35, y: em * 0.35, width: v.width, height: v.height, rx: em * 0.4 }));
  g.append(toggleButton(v.id, v.title, true, v.width - em * 1.8, em * 0.4, em));
}

/** Frames around the members of expanded groups, in a layer under the edges. */
export class GroupFrames {
  private readonly layer = s('g', { class: 'group-frames' });
  private groups: DrawnGroup[] = [];
  private em = 13;

  constructor(private readonly renderer: GroupFrameHost) {
    renderer.viewport.prepend(this.layer);
  }

  /** The expanded groups to frame (redrawn now and by `place` as nodes move). */
  show(groups: readonly DrawnGroup[], em: number): void {
    this.groups = groups.filter((g) => !g.collapsed);
    this.em = em;
    this.layer.replaceChildren(...this.groups.map((g) => s('g', {
      class: 'group-frame', 'data-group-frame': g.id, role: 'group', 'aria-label': `Group ${g.label}, expanded: ${g.members.length} layer${g.members.length === 1 ? '' : 's'}`,
    })));
    this.place();
  }

  /** Fits each frame around its members where they are drawn now. */
  place(): void {
    const em = this.em;
    this.groups.forEach((g, i) => {
      const el = this.layer.children[i] as SVGGElement | undefined;
      if (!el) return;
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const id of g.members) {
        const p = this.renderer.positions.get(id);
        const v = this.renderer.view(id);
        if (!p || !v) continue;
        x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
        x1 = Math.max(x1, p.x + v.width); y1 = Math.max(y1, p.y + v.height);
      }
      if (x0 === Infinity) { el.replaceChildren(); return; }
      const pad = em * FRAME_PAD_EM;
      const head = em * FRAME_HEAD_EM;
      const box = { x: x0 - pad, y: y0 - pad - head, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad + head };
      // One frame round the members when no other node lies inside it (the layout keeps an
      // expanded group's members together: elkGraph.ts); else, where a member is pinned apart or
      // the quick layout stands in for ELK's, a halo round each member.
      const members = new Set(g.members);
      let alone = true;
      for (const [id, p] of this.renderer.positions) {
        const v = this.renderer.view(id);
        if (members.has(id) || !v) continue;
        if (p.x < box.x + box.width && p.x + v.width > box.x && p.y < box.y + box.height && p.y + v.height > box.y) { alone = false; break; }
      }
      const shapes: SVGElement[] = [];
      let head0 = { x: box.x, y: box.y };
      if (alone) shapes.push(s('rect', { class: 'group-frame-box', ...box, rx: em * 0.6 }));
      else {
        const first = g.members.find((id) => this.renderer.positions.has(id)) as string;
        const p0 = this.renderer.positions.get(first) as { x: number; y: number };
        head0 = { x: p0.x - pad, y: p0.y - pad - head };
        for (const id of g.members) {
          const p = this.renderer.positions.get(id);
          const v = this.renderer.view(id);
          if (!p || !v) continue;
          const top = id === first ? head : 0;
          shapes.push(s('rect', { class: 'group-frame-box', x: p.x - pad, y: p.y - pad - top, width: v.width + 2 * pad, height: v.height + 2 * pad + top, rx: em * 0.6 }));
        }
      }
      el.replaceChildren(
        ...shapes,
        s('text', { class: 'group-frame-label', x: head0.x + em * 2.2, y: head0.y + em * 1.35 }, g.label),
        toggleButton(g.id, g.label, false, head0.x + em * 0.4, head0.y + em * 0.3, em),
      );
    });
  }
}
