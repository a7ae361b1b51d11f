/**
 * What the training status bar item says for a file's run state (pure, so it is unit-tested
 * without VS Code): its icon, the run's headline in the words the training view's header and the
 * gradients panel use (runHeadline), the latest loss, and a tooltip that says what a click does.
 */
import { formatNumber } from '../../model';
import { isRunning, runHeadline, runPosition, type RunPhase, type RunStatus } from '../../protocol';

const ICONS: Record<RunPhase, string> = {
  none: '', starting: '$(sync~spin)', training: '$(sync~spin)', stepped: '$(debug-step-over)', completed: '$(check)', stopped: '$(debug-stop)', failed: '$(error)', reset: '$(discard)',
};

/** The item's text and tooltip; undefined when there is nothing to show (no run of the file). */
export function trainingStatusText(name: string, s: RunStatus): { text: string; tooltip: string } | undefined {
  if (s.phase === 'none') return undefined;
  const headline = runHeadline(s, { speed: false });
  const loss = s.loss !== undefined && s.phase !== 'reset' && s.phase !== 'failed' ? ` · loss ${formatNumber(s.loss)}` : '';
  const text = `${ICONS[s.phase]} ${name}: ${headline}${loss}`;
  const said = s.message ? ` ${s.message.endsWith('.') ? s.message : `${s.message}.`}` : '';
  const tooltip = isRunning(s)
    ? `Training ${name} on ${s.backend}. Click to stop.`
    : s.phase === 'stepped'
      ? `${name}: one batch at a time on ${s.backend} (Step, F10). Click to show its graph editor.`
      : `${name}: ${headline}.${said} Click to show its graph editor.`;
  return { text, tooltip };
}

/** The progress notification's line: "epoch 3/10 · step 4/45 · loss 0.31" (the status bar's counter). */
export function progressMessage(s: RunStatus): string {
  return `${runPosition(s)}${s.loss !== undefined ? ` · loss ${formatNumber(s.loss)}` : ''}`;
}

/** How much of the run is done, 0–1, by the same counter. */
export function progressFraction(s: RunStatus): number {
  if (s.epoch === 0) return 0;
  return Math.min(1, (s.epoch - 1 + s.step / Math.max(1, s.stepsPerEpoch)) / Math.max(1, s.epochs));
}
