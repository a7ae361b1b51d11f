/** The graph editor's toolbar: the design's title and parameter count, zoom, fit, neurons or blocks, direction, group. */
import { h, icon } from './dom';

/** What the toolbar's buttons do. */
export interface ToolbarActions {
  zoom(factor: number): void;
  fit(): void;
  setAllExpanded(on: boolean): void;
  group(): void;
  ungroup(): void;
}

/** Builds the toolbar around the given title, parameter count and direction button elements. */
export function graphToolbar(title: HTMLElement, params: HTMLElement, direction: HTMLElement, a: ToolbarActions): HTMLElement {
  const button = (name: string, label: string, action: () => void): HTMLButtonElement => {
    const b = h('button', { title: label, 'aria-label': label, 'data-action': name }, icon(name));
    b.addEventListener('click', action);
    return b;
  };
  return h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Graph' }, title, params,
    button('zoom-out', 'Zoom out (-)', () => a.zoom(0.8)),
    button('zoom-in', 'Zoom in (+)', () => a.zoom(1.25)),
    button('screen-full', 'Fit to view (0)', () => a.fit()),
    button('unfold', 'Show small layers as neurons', () => a.setAllExpanded(true)),
    button('fold', 'Show layers as blocks', () => a.setAllExpanded(false)), direction,
    button('group-by-ref-type', 'Group selected nodes (Ctrl+G)', () => a.group()),
    button('ungroup-by-ref-type', 'Ungroup (Ctrl+Shift+G)', () => a.ungroup()));
}
