/**
 * Inspector fields of the image node types (and an input's shape): each committed change is one
 * setProperty intent, which the host writes as one minimal text edit. A default is written by
 * removing the field (strides, padding "valid", momentum, epsilon), as for dense's activation.
 */
import { PADDING_NAMES, shapeSize } from '../../src/model/fieldRules';
import type { NetworkNode } from '../../src/model/types';
import type { JsonValue } from '../../src/protocol';
import { dropdown, field, listField, numberField } from './inspectorFields';

/** The one action these fields need. */
export type SetProperty = (id: string, key: string, value: JsonValue | undefined) => void;

/** Fields of `n` that the image work added; none for the other types. */
export function imageFields(n: NetworkNode, setProperty: SetProperty, showError: (m: string) => void): HTMLElement[] {
  const set = (key: string) => (v: JsonValue | undefined): void => setProperty(n.id, key, v);
  const required = (key: string, what: string) => (v: JsonValue | undefined): void => {
    if (v === undefined) showError(`${what} cannot be empty.`);
    else setProperty(n.id, key, v);
  };
  const padding = (current: string | undefined): HTMLElement => field('Padding', dropdown('padding', 'Padding', PADDING_NAMES, current ?? 'valid', (v) => setProperty(n.id, 'padding', v === 'valid' ? undefined : v)),
    'valid: whole windows only; same: pad so the output is ⌈input / stride⌉');
  switch (n.type) {
    case 'input':
      // An input is a vector of `units` or an image of `shape`: setting one replaces the other
      // (the host writes both changes as one edit); emptying the shape makes it a vector again.
      return [field('Shape', listField('shape', n.shape, (v) => {
        if (v !== undefined) setProperty(n.id, 'shape', v);
        else if (n.shape) setProperty(n.id, 'units', shapeSize(n.shape));
      }, showError, { placeholder: 'e.g. 28×28×1' }), 'height×width×channels for images; empty: a vector of features')];
    case 'conv2d':
      return [
        field('Filters', numberField('filters', n.filters, required('filters', 'filters'), showError)),
        field('Kernel size', listField('kernelSize', n.kernelSize, required('kernelSize', 'kernelSize'), showError), 'n for n×n, or height×width'),
        field('Strides', listField('strides', n.strides, set('strides'), showError, { placeholder: '1' })),
        padding(n.padding),
      ];
    case 'maxpool2d': case 'avgpool2d':
      return [
        field('Pool size', listField('poolSize', n.poolSize, required('poolSize', 'poolSize'), showError), 'n for n×n, or height×width'),
        field('Strides', listField('strides', n.strides, set('strides'), showError, { placeholder: 'pool size' })),
        padding(n.padding),
      ];
    case 'reshape':
      return [field('Shape', listField('shape', n.shape, required('shape', 'shape'), showError), 'same number of values, e.g. 7×7×16')];
    case 'batchnorm':
      return [
        field('Momentum', numberField('momentum', n.momentum, set('momentum'), showError, { placeholder: '0.99' }), 'of the moving mean and variance'),
        field('Epsilon', numberField('epsilon', n.epsilon, set('epsilon'), showError, { placeholder: '0.001' })),
      ];
    default:
      return [];
  }
}
