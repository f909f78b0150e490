/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) under one fixed key, in plain JavaScript, for the keyed
 * operators' hot path: an export computes one MAC per pseudonymised value (millions).
 *
 * Why not `createHmac` per value: each call creates a native object, sets the key up again
 * (two SHA-256 blocks for the padded key), crosses into C++ three times and allocates a hex
 * string of 64 digits where a pseudonym keeps 12. Here the states after the key blocks
 * (K ⊕ ipad, K ⊕ opad) are computed once, so a short message costs two compressions and no
 * allocation but the result. The output is the standard HMAC-SHA256, byte for byte (tested
 * against `node:crypto`): existing pseudonyms do not change.
 */
import { createHash } from 'node:crypto';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const BLOCK = 64;
const HEX = '0123456789abcdef';

/** One SHA-256 compression of the 64-byte block at `bytes[at]` into `state`; `w` is scratch. */
function compress(state: Int32Array, bytes: Uint8Array, at: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = at + i * 4;
    w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** The state after one block of the key XOR `pad`. */
function padState(key: Uint8Array, pad: number, w: Int32Array): Int32Array {
  const block = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) block[i] = (key[i] ?? 0) ^ pad;
  const state = new Int32Array(INITIAL);
  compress(state, block, 0, w);
  return state;
}

/** HMAC-SHA256 under one key; not re-entrant (shared scratch), like any hash object. */
export class FixedKeyHmac {
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  /** Message buffer: grows (in whole blocks) for a long message, never shrinks. */
  private buf = new Uint8Array(4 * BLOCK);
  private readonly encoder = new TextEncoder();
  private readonly outerBlock = new Uint8Array(BLOCK);

  constructor(key: Uint8Array) {
    // Keys longer than a block are hashed first (RFC 2104); ours are 32 bytes.
    const k = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
    this.inner = padState(k, 0x36, this.w);
    this.outer = padState(k, 0x5c, this.w);
    // The outer message is always the 32-byte inner digest: its padding is fixed.
    this.outerBlock[32] = 0x80;
    this.outerBlock[62] = ((BLOCK + 32) * 8) >>> 8;
    this.outerBlock[63] = ((BLOCK + 32) * 8) & 0xff;
  }

  /** The MAC of `message` (UTF-8), left in `this.state` as eight big-endian words. */
  private run(message: string): Int32Array {
    let n = message.length;
    // Worst case 3 UTF-8 bytes per UTF-16 unit, plus padding.
    const need = Math.ceil((n * 3 + 9) / BLOCK) * BLOCK;
    if (this.buf.length < need) this.buf = new Uint8Array(need);
    const buf = this.buf;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = message.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      buf[i] = c;
    }
    if (!ascii) n = this.encoder.encodeInto(message, buf).written;
    const blocks = Math.ceil((n + 9) / BLOCK);
    const end = blocks * BLOCK;
    buf[n] = 0x80;
    buf.fill(0, n + 1, end - 8);
    // Bit length of key block + message; messages here are far below 2^32 bits.
    const bits = (BLOCK + n) * 8;
    buf[end - 8] = 0;
    buf[end - 7] = 0;
    buf[end - 6] = 0;
    buf[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
    buf[end - 4] = bits >>> 24;
    buf[end - 3] = (bits >>> 16) & 0xff;
    buf[end - 2] = (bits >>> 8) & 0xff;
    buf[end - 1] = bits & 0xff;
    const state = this.state;
    state.set(this.inner);
    for (let at = 0; at < end; at += BLOCK) compress(state, buf, at, this.w);
    const ob = this.outerBlock;
    for (let i = 0; i < 8; i++) {
      const v = state[i]!;
      ob[i * 4] = v >>> 24;
      ob[i * 4 + 1] = (v >>> 16) & 0xff;
      ob[i * 4 + 2] = (v >>> 8) & 0xff;
      ob[i * 4 + 3] = v & 0xff;
    }
    state.set(this.outer);
    compress(state, ob, 0, this.w);
    return state;
  }

  /** The first `digits` (≤ 64) lowercase hex digits of the MAC. */
  hex(message: string, digits = 64): string {
    const state = this.run(message);
    let out = '';
    for (let i = 0; i < digits; i++) {
      out += HEX[(state[i >>> 3]! >>> (28 - (i & 7) * 4)) & 15];
    }
    return out;
  }

  /** The 32 bytes of the MAC. */
  digest(message: string): Buffer {
    const state = this.run(message);
    const out = Buffer.allocUnsafe(32);
    for (let i = 0; i < 8; i++) out.writeInt32BE(state[i]!, i * 4);
    return out;
  }
}
