/**
 * The shape of one contract entry, and `mergeContracts`, which joins the per-capability parts
 * into THE contract and refuses a method declared twice.
 *
 * Pure: imports only zod.
 */
import type { z } from 'zod';

export interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
  description: string;
  /** The engine appends a hash-chained audit entry after every successful call when true. */
  audit: boolean;
  /** Needs an open case (the router refuses with E_NO_CASE otherwise). */
  needsCase: boolean;
}

/** Joins capability contracts; a method name declared by two parts is a programming error. */
export function mergeContracts<T extends Record<string, MethodSpec>[]>(
  ...parts: T
): UnionToIntersection<T[number]> {
  const merged: Record<string, MethodSpec> = {};
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part)) {
      if (name in merged) throw new Error(`contract method ${name} is declared twice`);
      merged[name] = spec;
    }
  }
  return merged as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;
