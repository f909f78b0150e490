/**
 * Windows-1252, the one table every reader shares. Its bytes 0x80–0x9F are € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ
 * Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ; the other bytes are ISO-8859-1. Undefined slots (0x81, 0x8D,
 * 0x8F, 0x90, 0x9D) keep the C1 control of the same value, as the WHATWG decoder does.
 *
 * Not TextDecoder: Node 20's TextDecoder('windows-1252') decodes 0x80–0x9F as C1 controls (€ comes
 * out as U+0080). Readers decode bytes as latin1 (one char per byte, native speed) and map the
 * 32 C1 chars through this table.
 */
import { Buffer } from 'node:buffer';

/** Windows-1252 characters of bytes 0x80–0x9F, indexed by byte - 0x80. */
export const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

const C1 = /[\x80-\x9f]/;
const C1_ALL = /[\x80-\x9f]/g;
const fix = (ch: string): string => CP1252_HIGH[ch.charCodeAt(0) - 0x80]!;

/** A string decoded as latin1 (one char per byte) turned into its Windows-1252 reading. */
export function latin1ToWindows1252(s: string): string {
  return C1.test(s) ? s.replace(C1_ALL, fix) : s;
}

/** Decodes bytes [start, end) as Windows-1252. */
export function decodeWindows1252(u: Uint8Array, start: number, end: number): string {
  const b = Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return latin1ToWindows1252(b.toString('latin1', start, end));
}
