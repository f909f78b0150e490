/** The fixed-key HMAC-SHA256 of the keyed operators: byte for byte the standard one. */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FixedKeyHmac } from '../../../src/main/engine/redact/hmac';
import { RedactionKeys } from '../../../src/main/engine/redact/keys';

const reference = (key: Uint8Array, m: string) => createHmac('sha256', key).update(m).digest();

describe('FixedKeyHmac', () => {
  it('matches RFC 4231 test case 2', () => {
    const mac = new FixedKeyHmac(Buffer.from('Jefe'));
    expect(mac.hex('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('matches node:crypto for every message length across block boundaries, ASCII and not', () => {
    const key = randomBytes(32);
    const mac = new FixedKeyHmac(key);
    for (let n = 0; n <= 300; n++) {
      const ascii = 'a'.repeat(n);
      const mixed = 'é€😀x'.repeat(n).slice(0, n);
      for (const m of [ascii, mixed, `EMAIL\u0000${ascii}`]) {
        const want = reference(key, m);
        expect(mac.digest(m)).toEqual(want);
        expect(mac.hex(m)).toBe(want.toString('hex'));
        expect(mac.hex(m, 12)).toBe(want.toString('hex').slice(0, 12));
      }
    }
  });

  it('matches node:crypto for keys longer than a block and random messages', () => {
    const key = randomBytes(100);
    const mac = new FixedKeyHmac(key);
    for (let i = 0; i < 200; i++) {
      const m = randomBytes(1 + (i % 90)).toString('latin1');
      expect(mac.hex(m)).toBe(reference(key, m).toString('hex'));
    }
  });

  it('keeps the case pseudonym and FPE keys as before (HMAC of a derived key)', () => {
    const secret = randomBytes(32);
    const keys = new RedactionKeys(secret);
    const pk = createHmac('sha256', secret).update('leakscope/pseudonym/v1').digest();
    const fk = createHmac('sha256', secret).update('leakscope/fpe/v1').digest();
    expect(keys.pseudonymHex('EMAIL\u0000jean@example.fr')).toBe(
      reference(pk, 'EMAIL\u0000jean@example.fr').toString('hex'),
    );
    expect(keys.pseudonymHex('NAME\u0000jose', 16)).toBe(
      reference(pk, 'NAME\u0000jose').toString('hex').slice(0, 16),
    );
    expect(keys.fpeMac('t\u00003\u0000123')).toEqual(reference(fk, 't\u00003\u0000123'));
  });
});
