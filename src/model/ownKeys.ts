/**
 * Records keyed by names from a file. A node may be called `constructor`, `toString` or
 * `__proto__`: on a plain object those names find Object.prototype's members (or, assigned,
 * replace the prototype), so every lookup by such a name goes through `own`, and every record
 * built from them starts as `keyedRecord()`.
 */

/** The value stored under `key` itself, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** An empty record with no prototype: `__proto__` and `constructor` are ordinary keys in it. */
export function keyedRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
