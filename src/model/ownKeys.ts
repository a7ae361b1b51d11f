/**
 * Records keyed by names from a file. A node may be called `constructor`, `toString` or
 * `__proto__`: on a plain object those names find Object.prototype's members (or, assigned,
 * replace the prototype), so every lookup by such a name goes through `own`, and every record
 * keyed by them is filled with `setOwn`. The records stay plain objects, as they are after a
 * trip through postMessage or JSON anyway.
 */

/** The value stored under `key` itself, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Stores `value` under `key` as the record's own property, even for `__proto__` (where `=` would replace the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
