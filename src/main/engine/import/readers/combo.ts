/**
 * Combolist reader: one credential a line, `login<sep>secret` (email:password, user:hash,
 * email;password, email|password...), as circulated after credential-stuffing leaks.
 *
 * What it owns: sniffing the separator (the one that splits most lines into a plausible login and
 * a secret), junk banner/header lines at the top, whether the secrets look like hashes (md5,
 * sha1, sha256, sha512, bcrypt, crypt), and a streaming line reader with exact byte offsets.
 *
 * Policy:
 *  - the FIRST occurrence of the separator splits: passwords may contain the separator, logins
 *    (emails, usernames) practically never do;
 *  - columns are `login` and `password`, or `login` and `hash` when at least 80% of the sampled
 *    secrets have a hash shape;
 *  - values are as written (no trimming); `login:` gives an empty secret (a row), a line without
 *    the separator or with an empty login is rejected, so are undecodable bytes and NUL
 *    characters; blank lines are skipped and counted (meta blankLines);
 *  - every non-blank line after the skipped head is one record: recordsRead = rows + rejects.
 *
 * Scoring is coordinated with the CSV sniffer: a two-field "email;secret" file scores higher here
 * (0.85) than as CSV (which caps such files at 0.55), while a real CSV (three or more consistent
 * fields, or a header naming non-secret columns) scores low here.
 */
import { detectEncoding } from '../encoding';
import type {
  FormatReader,
  ReadContext,
  ReadResult,
  ReaderOptions,
  RecordSink,
  SniffResult,
  TextEncodingName,
} from '../types';
import {
  MAX_RAW_UNITS,
  bomLengthFor,
  decodeHead,
  encodingLabel,
  findUndecodable,
  peekHead,
  rangeDecoder,
  scanLines,
} from './text';

export const COMBO_SEPARATORS = [':', ';', '|', '\t', ','] as const;

const HEAD_BYTES = 64 * 1024;
const TABLE = '';

const EMAIL = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/;
const LOGIN = /^\S{1,256}$/;
const HASH =
  /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128}|\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}|\$(?:1|5|6|apr1)\$[^$\s]{0,16}\$[./A-Za-z0-9]{22,86}|\$argon2(?:id|i|d)\$\S+|\{SSHA\}\S+|[0-9a-fA-F]{32}:\S{1,32})$/;
const LOGIN_WORD =
  /^(e-?mail|mail|courriel|login|user(name)?|utilisateur|identifiant|id|account|compte|pseudo)$/i;
const SECRET_WORD = /^(pass(word)?|passwd|pwd|mdp|mot[ _]?de[ _]?passe|hash|secret|clear|plain)$/i;

/** A secret that looks like a password hash (md5/NTLM, sha1, sha256, sha512, bcrypt, crypt...). */
export function looksLikeHash(s: string): boolean {
  return HASH.test(s);
}

export interface ComboAnalysis {
  separator: string;
  /** Physical lines at the top that are banner or header, not credentials. */
  skipLines: number;
  secretColumn: 'password' | 'hash';
  /** Share of non-blank head lines that split into a plausible login and a secret. */
  share: number;
  emailShare: number;
  hashShare: number;
  /** Secrets containing spaces (passwords rarely do, CSV text columns often do). */
  spaceShare: number;
  /** Lines split consistently into 3+ fields by this separator: a delimited table instead. */
  csvLike: boolean;
  /** The top line names columns, and the second is not a secret ("email;nom"): a CSV header. */
  csvHeader: boolean;
  lines: number;
}

function splitsPlausibly(line: string, sep: string): boolean {
  const i = line.indexOf(sep);
  if (i <= 0 || i === line.length - 1) return false;
  return LOGIN.test(line.slice(0, i));
}

/** Works out separator, junk head and secret kind from a decoded head. */
export function analyzeCombo(
  text: string,
  fixed: Pick<ReaderOptions, 'separator' | 'skipLines'> = {},
): ComboAnalysis {
  const all = text.split(/\r\n|\r|\n/);
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  const physical = all.slice(0, 2000);
  const candidates = fixed.separator !== undefined ? [fixed.separator] : COMBO_SEPARATORS;
  let best = { sep: candidates[0]!, share: -1 };
  const nonBlank = physical.filter((l) => l !== '');
  for (const sep of candidates) {
    const ok = nonBlank.filter((l) => splitsPlausibly(l, sep)).length;
    const share = nonBlank.length ? ok / nonBlank.length : 0;
    if (share > best.share + 1e-9) best = { sep, share };
  }
  const sep = best.sep;

  // Junk at the top: up to 5 leading lines that do not split plausibly (or, in a list of email
  // logins, whose login is no email: "Total: 40 lines"), or a column header.
  const emailLogins =
    nonBlank.filter((l) => {
      const i = l.indexOf(sep);
      return i > 0 && EMAIL.test(l.slice(0, i));
    }).length >=
    0.5 * nonBlank.length;
  const credential = (l: string): boolean =>
    splitsPlausibly(l, sep) && (!emailLogins || EMAIL.test(l.slice(0, l.indexOf(sep))));
  let skipLines = 0;
  let csvHeader = false;
  if (fixed.skipLines !== undefined) skipLines = fixed.skipLines;
  else {
    for (let i = 0; i < Math.min(physical.length, 6); i++) {
      const l = physical[i]!;
      if (l === '') continue;
      const k = l.indexOf(sep);
      const isHeader = k > 0 && LOGIN_WORD.test(l.slice(0, k).trim()) && !l.includes('@');
      if (isHeader) {
        csvHeader = !SECRET_WORD.test(l.slice(k + 1).trim());
        skipLines = i + 1;
        break;
      }
      if (credential(l)) break;
      skipLines = i + 1;
    }
    if (skipLines > 5) skipLines = 0;
  }
  const body = physical.slice(skipLines).filter((l) => l !== '');
  const pairs = body
    .map((l) => {
      const i = l.indexOf(sep);
      return i > 0 ? [l.slice(0, i), l.slice(i + 1)] : null;
    })
    .filter((p): p is string[] => p !== null);
  const n = Math.max(1, pairs.length);
  const emailShare = pairs.filter((p) => EMAIL.test(p[0]!)).length / n;
  const hashShare = pairs.filter((p) => looksLikeHash(p[1]!)).length / n;
  const spaceShare = pairs.filter((p) => /\s/.test(p[1]!)).length / n;
  let csvLike = false;
  if (sep !== ':' && body.length >= 2) {
    const counts = body.map((l) => l.split(sep).length - 1);
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    for (const [c, f] of freq) if (c >= 2 && f >= 0.8 * body.length) csvLike = true;
  }
  return {
    separator: sep,
    skipLines,
    secretColumn: pairs.length > 0 && hashShare >= 0.8 ? 'hash' : 'password',
    share: Math.max(0, best.share),
    emailShare,
    hashShare,
    spaceShare,
    csvLike,
    csvHeader,
    lines: nonBlank.length,
  };
}

function likelihoodOf(a: ComboAnalysis, text: string): number | null {
  if (a.lines === 0 || a.share < 0.3) return null;
  let l = a.share >= 0.9 ? 0.85 : a.share >= 0.7 ? 0.6 : 0.3;
  if (a.csvLike || a.csvHeader) l = Math.min(l, 0.2);
  // ";" "|" "," TAB between two non-credential-looking columns: more likely a small CSV.
  if (a.separator !== ':' && a.emailShare < 0.5 && a.hashShare < 0.5) l = Math.min(l, 0.5);
  if (a.spaceShare > 0.3) l = Math.min(l, 0.4);
  const t = text.trimStart();
  if (/^[[{<]/.test(t) || /^(INSERT\s+INTO|CREATE\s+TABLE|--|\/\*)/i.test(t)) l = Math.min(l, 0.1);
  return l;
}

export const comboReader: FormatReader = {
  id: 'combo',

  sniff(head: Uint8Array, _name: string): SniffResult | null {
    if (head.length === 0) return null;
    const enc = detectEncoding(head);
    const text = decodeHead(head, enc.encoding, enc.bomLength, head.length < HEAD_BYTES);
    const a = analyzeCombo(text);
    const likelihood = likelihoodOf(a, text);
    if (likelihood === null) return null;
    return {
      likelihood,
      options: { encoding: enc.encoding, separator: a.separator, skipLines: a.skipLines },
    };
  },

  async read(
    source: AsyncIterable<Uint8Array>,
    options: ReaderOptions,
    sink: RecordSink,
    ctx?: ReadContext,
  ): Promise<ReadResult> {
    const peek = await peekHead(source, HEAD_BYTES);
    const head = peek.head.subarray(0, HEAD_BYTES);
    const encoding: TextEncodingName = options.encoding ?? detectEncoding(head).encoding;
    const bomLength = bomLengthFor(encoding, head);
    const text = decodeHead(
      head,
      encoding,
      bomLength,
      peek.ended && peek.head.length <= HEAD_BYTES,
    );
    if (options.separator !== undefined && options.separator.length !== 1) {
      throw new Error(
        `combolist separator must be one character: ${JSON.stringify(options.separator)}`,
      );
    }
    const a = analyzeCombo(text, { separator: options.separator, skipLines: options.skipLines });
    const sep = options.separator ?? a.separator;
    const skipLines = options.skipLines ?? a.skipLines;
    sink.meta('encoding', encoding);
    sink.meta('bomLength', bomLength);
    sink.meta('separator', sep);
    sink.meta('skipLines', skipLines);
    sink.meta('secretColumn', a.secretColumn);
    sink.columns(TABLE, [
      { name: 'login', path: 'login' },
      { name: a.secretColumn, path: a.secretColumn },
    ]);

    const decode = rangeDecoder(encoding);
    const check = encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be';
    const unitBytes = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
    let rows = 0;
    let rejects = 0;
    let blank = 0;
    let skipped = 0;
    let title = '';
    const reject = (line: number, offset: number, reason: string, raw: string): void => {
      rejects++;
      sink.reject(TABLE, { line, offset, reason, raw });
    };
    const scan = await scanLines(
      peek.source,
      { encoding, bomLength, signal: ctx?.signal },
      (l) => {
        if (l.line <= skipLines) {
          skipped++;
          if (title === '' && l.end > l.start) {
            title = decode(l.view.text, l.start, Math.min(l.end, l.start + 200));
          }
          return;
        }
        if (l.end === l.start) {
          blank++;
          return;
        }
        const s = decode(l.view.text, l.start, l.end);
        const bad = check ? findUndecodable(encoding, s, l.view.text, l.start, l.end) : -1;
        if (bad >= 0) {
          reject(
            l.line,
            l.offset,
            `invalid ${encodingLabel(encoding)} at byte ${l.view.base + bad * unitBytes}`,
            s.length > MAX_RAW_UNITS ? s.slice(0, MAX_RAW_UNITS) : s,
          );
          return;
        }
        const i = s.indexOf(sep);
        if (i <= 0 || s.indexOf('\0') !== -1) {
          const nul = l.view.units.subarray(l.start, l.end).indexOf(0);
          const reason =
            nul !== -1
              ? `NUL character at byte ${l.offset + nul * unitBytes}`
              : i === 0
                ? 'empty login'
                : `no separator ${JSON.stringify(sep)}`;
          reject(
            l.line,
            l.offset,
            reason,
            s.length > MAX_RAW_UNITS ? s.slice(0, MAX_RAW_UNITS) : s,
          );
          return;
        }
        rows++;
        sink.row(TABLE, [s.slice(0, i), s.slice(i + 1)], { line: l.line, offset: l.offset });
      },
      (l) => {
        reject(
          l.line,
          l.offset,
          `line longer than 64 MiB`,
          decode(l.view.text, l.start, Math.min(l.end, l.start + MAX_RAW_UNITS)),
        );
      },
    );
    sink.meta('recordsRead', rows + rejects);
    sink.meta('rows', rows);
    sink.meta('rejects', rejects);
    sink.meta('blankLines', blank);
    sink.meta('skippedLines', skipped);
    if (title) sink.meta('title', title);
    sink.meta('bytes', scan.bytes);
    if (scan.danglingByte) {
      return { truncated: true, truncatedReason: 'UTF-16 stream ends with an odd byte' };
    }
    return { truncated: false };
  },
};
