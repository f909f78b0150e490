/**
 * Text encoding detection from the bytes of a file's head.
 *
 * Leaks arrive as UTF-8 (with or without BOM), UTF-16 from Windows tools, and ISO-8859-1 or
 * Windows-1252 from older French systems. We decide from the bytes only:
 *  - a BOM wins;
 *  - NUL bytes on alternating positions mean UTF-16 without BOM;
 *  - bytes that form valid UTF-8 multi-byte sequences (and no invalid ones) mean UTF-8;
 *  - otherwise a single-byte encoding: Windows-1252 when bytes 0x80–0x9F appear (in ISO-8859-1
 *    these are C1 control characters nobody types; in 1252 they are € ’ œ …), else ISO-8859-1.
 *
 * Pure: no I/O, no electron.
 */
import type { TextEncodingName } from './types';

export interface EncodingGuess {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip at the start of the stream. */
  bomLength: number;
  /** 0..1, how sure the guess is (1 for a BOM, lower for pure-ASCII heads). */
  confidence: number;
  /** Why: "UTF-8 BOM", "valid UTF-8 multi-byte sequences", ... */
  evidence: string;
}

export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, confidence: 1, evidence: 'UTF-8 BOM' };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    return { encoding: 'utf-16le', bomLength: 2, confidence: 1, evidence: 'UTF-16 LE BOM' };
  }
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
    return { encoding: 'utf-16be', bomLength: 2, confidence: 1, evidence: 'UTF-16 BE BOM' };
  }
  const utf16 = guessUtf16WithoutBom(head);
  if (utf16) return utf16;

  const scan = scanUtf8(head);
  if (scan.invalid === 0 && scan.multibyte > 0) {
    return {
      encoding: 'utf-8',
      bomLength: 0,
      confidence: 0.99,
      evidence: `${scan.multibyte} valid UTF-8 multi-byte sequences`,
    };
  }
  if (scan.invalid === 0) {
    // Pure ASCII (a truncated sequence at the very end of the head is not "invalid").
    return { encoding: 'utf-8', bomLength: 0, confidence: 0.6, evidence: 'ASCII only' };
  }
  // Valid multi-byte sequences almost never occur by accident in single-byte text (é followed by
  // a byte in 0x80–0xBF), so UTF-8 with a few bad bytes is still UTF-8: the records holding the
  // bad bytes become rejects instead of the whole file being decoded wrongly.
  if (scan.multibyte >= scan.invalid) {
    return {
      encoding: 'utf-8',
      bomLength: 0,
      confidence: 0.8,
      evidence: `${scan.multibyte} UTF-8 sequences, ${scan.invalid} invalid bytes`,
    };
  }
  let c1 = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b >= 0x80 && b <= 0x9f) c1++;
  }
  if (c1 > 0) {
    return {
      encoding: 'windows-1252',
      bomLength: 0,
      confidence: 0.9,
      evidence: `${c1} bytes in 0x80–0x9F (Windows-1252 punctuation)`,
    };
  }
  return {
    encoding: 'iso-8859-1',
    bomLength: 0,
    confidence: 0.85,
    evidence: 'high bytes that are not UTF-8',
  };
}

function guessUtf16WithoutBom(head: Uint8Array): EncodingGuess | null {
  const n = Math.min(head.length & ~1, 4096);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero / pairs > 0.4 && evenZero / pairs < 0.05) {
    return { encoding: 'utf-16le', bomLength: 0, confidence: 0.9, evidence: 'NUL high bytes (LE)' };
  }
  if (evenZero / pairs > 0.4 && oddZero / pairs < 0.05) {
    return { encoding: 'utf-16be', bomLength: 0, confidence: 0.9, evidence: 'NUL high bytes (BE)' };
  }
  return null;
}

interface Utf8Scan {
  multibyte: number;
  invalid: number;
}

/** Counts valid multi-byte UTF-8 sequences and invalid bytes; a sequence cut at the end is ignored. */
export function scanUtf8(bytes: Uint8Array): Utf8Scan {
  let multibyte = 0;
  let invalid = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      invalid++;
      i++;
      continue;
    }
    // A sequence that runs past the end of the head cannot be judged.
    if (i + need >= n) break;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { multibyte, invalid };
}
