/** Messages between the editor and its layout worker. */
import type { GroupPadding, LayoutGroup } from './elkGraph';

/** A layout job: node boxes and the edges among them. */
export interface LayoutRequest {
  id: number;
  nodes: { id: string; width: number; height: number }[];
  edges: { from: string; to: string }[];
  /** The least gap between layers in px: the widest edge label between its two ports. */
  layerGap?: number;
  /** The canvas size in pixels: a long graph that would be drawn too small to read wraps into rows. */
  screen?: { width: number; height: number };
  /** The smallest readable zoom (Fit never goes below it): rows are wrapped to fit the canvas at it. */
  minScale?: number;
  /** Which way the layers run: left to right (the default) or top to bottom. */
  direction?: 'right' | 'down';
  /** Expanded groups: their members are laid out together, inside a frame of `groupPadding`. */
  groups?: LayoutGroup[];
  groupPadding?: GroupPadding;
}

/** The worker's answer: top-left corner of every node, and the drawing's size. */
export interface LayoutResponse {
  id: number;
  positions?: Record<string, { x: number; y: number }>;
  width?: number;
  height?: number;
  /** Which way the layers run in this answer. */
  direction?: 'right' | 'down';
  /** Time ELK took inside the worker (ms), for the bench. */
  ms?: number;
  error?: string;
}
