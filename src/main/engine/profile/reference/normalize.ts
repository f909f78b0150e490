/**
 * The one normalisation used to look values up in the reference lists: accents removed, lower
 * case, typographic apostrophes and runs of spaces unified. "LEFÈVRE", "Lefevre" and "lefèvre"
 * are the same surname for a list look-up; administrative exports drop accents, people do not.
 */

const COMBINING = /[\u0300-\u036f]/g;

export function normKey(s: string): string {
  let out = s.trim();
  // Fast path: plain ASCII needs no Unicode decomposition.
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(out)) {
    out = out.normalize('NFD').replace(COMBINING, '').replace(/[’`´]/g, "'");
    out = out.replace(/œ/g, 'oe').replace(/Œ/g, 'OE').replace(/æ/g, 'ae').replace(/Æ/g, 'AE');
  }
  out = out.toLowerCase();
  if (out.includes('  ')) out = out.replace(/\s+/g, ' ');
  return out;
}

/** Builds a Set of normalised keys from a whitespace-separated list (`_` = space inside an entry). */
export function keySet(list: string): Set<string> {
  const set = new Set<string>();
  for (const w of list.split(/\s+/)) if (w) set.add(normKey(w.replace(/_/g, ' ')));
  return set;
}

/**
 * normKey over a whole list at once, line structure kept: the same keys as normKey of each
 * entry (entries are trimmed by the caller; a list never holds runs of spaces).
 */
export function normKeyText(text: string): string {
  let out = text;
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(out)) {
    out = out.normalize('NFD').replace(COMBINING, '').replace(/[’`´]/g, "'");
    out = out.replace(/œ/g, 'oe').replace(/Œ/g, 'OE').replace(/æ/g, 'ae').replace(/Æ/g, 'AE');
  }
  return out.toLowerCase();
}
