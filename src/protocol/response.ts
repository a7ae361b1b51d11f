/**
 * The answer to a request, shared by every channel's definitions and by `Channel` itself (kept
 * apart from channel.ts so the message definitions and the channel do not import each other).
 */
import { bool, count, optional, type Schema, text, variant } from './schema';

/** The answer to a request; `requestId` matches the request's. */
export interface ResponseMessage {
  type: 'response';
  requestId: number;
  ok: boolean;
  /** Present when ok: the reply, as the request's definition says. */
  value?: unknown;
  /** Present when not ok: written for the user. */
  error?: string;
}

/** The answer message of a channel whose replies pass `value`. */
export const responseMessage = (value: Schema<unknown>) =>
  variant('type', 'response', { requestId: count, ok: bool, value: optional(value), error: optional(text(100_000)) });

/** `T` without its requestId (distributes over unions): what a caller of `Channel.request` passes. */
export type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;
