/**
 * The toolbar button that sets which way the layers run: automatic (chosen for the graph and the
 * window), always left to right, always top to bottom, in turn. Each click is one small edit of
 * `layout.direction` in the file, so Undo takes it back.
 */
import { h, icon } from './dom';

/** The file's setting, as `layout.direction` holds it. */
export type DirectionChoice = 'auto' | 'right' | 'down';

const NEXT: Record<DirectionChoice, DirectionChoice> = { auto: 'right', right: 'down', down: 'auto' };
const WORDS: Record<DirectionChoice, string> = { auto: 'automatic', right: 'left to right', down: 'top to bottom' };

/** The button; `update` shows the file's setting and the direction drawn. */
export class DirectionButton {
  readonly el: HTMLButtonElement;
  private setting: DirectionChoice = 'auto';

  constructor(send: (direction: DirectionChoice) => void) {
    this.el = h('button', { 'data-action': 'layout-direction', 'data-testid': 'layout-direction' });
    this.el.addEventListener('click', () => send(NEXT[this.setting]));
    this.update('auto', 'right');
  }

  /** Shows `setting` (from the file) and `drawn` (the direction the graph runs now). */
  update(setting: DirectionChoice, drawn: 'right' | 'down'): void {
    this.setting = setting;
    const now = setting === 'auto' ? `automatic, now ${WORDS[drawn]}` : WORDS[setting];
    const label = `Layer direction: ${now}. Click for ${WORDS[NEXT[setting]]}`;
    this.el.title = label;
    this.el.setAttribute('aria-label', label);
    this.el.setAttribute('data-direction', setting);
    this.el.replaceChildren(icon(`arrow-${setting === 'auto' ? drawn : setting}`));
  }
}
