/**
 * Branded connection handles (Signal-Desktop's ReadableDB / WritableDB): a function that only
 * reads takes `ReadableDB`; one that writes takes `WritableDB`, and a read-only handle cannot be
 * passed to it. Both are the same better-sqlite3 object at run time.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

declare const readableBrand: unique symbol;
declare const writableBrand: unique symbol;

export type ReadableDB = Database.Database & { readonly [readableBrand]: true };
export type WritableDB = ReadableDB & { readonly [writableBrand]: true };
