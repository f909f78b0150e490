/**
 * The flattening rules and the exactness of flatten.ts's parser: it must accept exactly what
 * JSON.parse accepts (checked on hand-picked edge cases and on thousands of mutated records).
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_COLUMNS,
  MAX_DEPTH,
  TableFlattener,
  type FlattenResult,
} from '../../../src/main/engine/import/readers/flatten';
import { seededRandom } from './helpers/collect-sink';

/** Flattens one record and returns {path: value} over every column declared so far. */
function flat(fl: TableFlattener, text: string): Record<string, string | null> {
  const r = fl.flattenObject(text);
  if (!r.ok) throw new Error(r.reason);
  const out: Record<string, string | null> = {};
  fl.columns.forEach((c, i) => (out[c.path] = r.values[i] ?? null));
  return out;
}

function ok(r: FlattenResult): r is Extract<FlattenResult, { ok: true }> {
  return r.ok;
}

describe('flattening rules', () => {
  it('nested objects become dotted columns, name = path', () => {
    const fl = new TableFlattener();
    const r = fl.flattenObject(
      '{"stagiaire": {"nom": "Lefèvre", "contact": {"email": "e.lefevre@exemple.fr", "tel": "0601020304"}}, "id": 7}',
    );
    expect(ok(r)).toBe(true);
    expect(fl.columns).toEqual([
      { name: 'stagiaire.nom', path: 'stagiaire.nom' },
      { name: 'stagiaire.contact.email', path: 'stagiaire.contact.email' },
      { name: 'stagiaire.contact.tel', path: 'stagiaire.contact.tel' },
      { name: 'id', path: 'id' },
    ]);
    expect(ok(r) && r.values).toEqual(['Lefèvre', 'e.lefevre@exemple.fr', '0601020304', '7']);
    expect(ok(r) && r.added?.length).toBe(4);
  });

  it('the union of columns grows in order of first appearance; values are positional', () => {
    const fl = new TableFlattener();
    const a = fl.flattenObject('{"nom": "Dupont", "ville": "Nîmes"}');
    const b = fl.flattenObject('{"email": "z@exemple.fr", "nom": "Bénard"}');
    const c = fl.flattenObject('{"ville": "Orléans"}');
    expect(fl.columns.map((x) => x.path)).toEqual(['nom', 'ville', 'email']);
    expect(ok(a) && a.values).toEqual(['Dupont', 'Nîmes']);
    expect(ok(b) && b.values).toEqual(['Bénard', null, 'z@exemple.fr']);
    expect(ok(b) && b.added).toEqual([{ name: 'email', path: 'email' }]);
    expect(ok(c) && c.values).toEqual([null, 'Orléans', null]);
    expect(ok(c) && c.added).toBeNull();
  });

  it('numbers keep their text; booleans and null', () => {
    const fl = new TableFlattener();
    expect(
      flat(
        fl,
        '{"a": 1.50, "b": 12345678901234567890, "c": -0, "d": 1e5, "e": 2.5E-3, "f": true, "g": false, "h": null, "i": 0.1000000000000000055511151231257827}',
      ),
    ).toEqual({
      a: '1.50',
      b: '12345678901234567890',
      c: '-0',
      d: '1e5',
      e: '2.5E-3',
      f: 'true',
      g: 'false',
      h: null,
      i: '0.1000000000000000055511151231257827',
    });
  });

  it('strings: escapes, \\u00e9, surrogate pairs, lone surrogates as JSON.parse gives them', () => {
    const fl = new TableFlattener();
    const text =
      '{"a": "caf\\u00e9", "b": "\\ud83d\\ude00 \\"ok\\" \\\\ \\/ \\b\\f\\n\\r\\t", "c": "Zoé 😀", "d": "\\ud800x"}';
    const want = JSON.parse(text) as Record<string, string>;
    expect(flat(fl, text)).toEqual(want);
    expect(want.a).toBe('café');
    expect(want.b!.codePointAt(0)).toBe(0x1f600);
  });

  it('arrays are compact JSON text, numbers as written, objects inside too', () => {
    const fl = new TableFlattener();
    expect(
      flat(
        fl,
        '{"tags": [ "a" , "b\\u00e9" ], "n": [1.50, 2, -0.0], "o": [ {"x": 1.0, "y": [ ]}, {} ], "e": [], "deep": [[1, [2]]]}',
      ),
    ).toEqual({
      tags: '["a","bé"]',
      n: '[1.50,2,-0.0]',
      o: '[{"x":1.0,"y":[]},{}]',
      e: '[]',
      deep: '[[1,[2]]]',
    });
  });

  it('empty objects add no column; keys with dots are kept; repeated keys: last wins', () => {
    const fl = new TableFlattener();
    const r = fl.flattenObject(
      '{"vide": {}, "a.b": 1, "a": {"b": 2}, "k": "x", "k": "y", "": "e"}',
    );
    expect(fl.columns.map((c) => c.path)).toEqual(['a.b', 'k', '']);
    expect(ok(r) && r.values).toEqual(['2', 'y', 'e']);
  });

  it('integer-like keys keep source order (unlike a walk over JSON.parse)', () => {
    const fl = new TableFlattener();
    fl.flattenObject('{"b": 1, "10": 2, "2": 3}');
    expect(fl.columns.map((c) => c.path)).toEqual(['b', '10', '2']);
  });

  it('same keys in a new order still land in the right columns (order cache miss)', () => {
    const fl = new TableFlattener();
    fl.flattenObject('{"a": 1, "b": {"c": 2}, "d": 3}');
    const r = fl.flattenObject('{"d": 30, "b": {"c": 20}, "a": 10}');
    expect(ok(r) && r.values).toEqual(['10', '20', '30']);
    const s = fl.flattenObject('{"a": 1, "b": 5}');
    expect(fl.columns.map((c) => c.path)).toEqual(['a', 'b.c', 'd', 'b']);
    expect(ok(s) && s.values).toEqual(['1', null, null, '5']);
  });

  it('a rejected record leaves no column behind', () => {
    const fl = new TableFlattener();
    fl.flattenObject('{"a": 1}');
    const r = fl.flattenObject('{"nouveau": 1, "autre": {"x": tru}}');
    expect(r.ok).toBe(false);
    expect(fl.columns.map((c) => c.path)).toEqual(['a']);
    const s = fl.flattenObject('{"autre": {"x": 2}, "nouveau": 3}');
    expect(ok(s) && s.values).toEqual([null, '2', '3']);
    expect(fl.columns.map((c) => c.path)).toEqual(['a', 'autre.x', 'nouveau']);
  });

  it('non-objects are refused with the kind; invalid JSON with JSON.parse reason', () => {
    const fl = new TableFlattener();
    const kinds: [string, string][] = [
      ['[1, 2]', 'expected a JSON object, found an array'],
      ['"x"', 'expected a JSON object, found a string'],
      ['42', 'expected a JSON object, found a number'],
      ['null', 'expected a JSON object, found null'],
      ['true', 'expected a JSON object, found a boolean'],
    ];
    for (const [text, reason] of kinds) {
      expect(fl.flattenObject(text)).toEqual({ ok: false, reason });
    }
    const bad = fl.flattenObject('{"a": 01}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/^invalid JSON: /);
  });

  it('value mode: one `value` column, scalars as text, containers as compact JSON', () => {
    const fl = new TableFlattener();
    const vals = ['"a@exemple.fr"', '1.50', 'null', 'true', '{ "x" : 1 }', '[1, "é"]'].map((t) => {
      const r = fl.flattenValue(t);
      return ok(r) ? r.values[0] : 'REJECTED';
    });
    expect(vals).toEqual(['a@exemple.fr', '1.50', null, 'true', '{"x":1}', '[1,"é"]']);
    expect(fl.columns).toEqual([{ name: 'value', path: 'value' }]);
  });

  it(`caps tables at ${MAX_COLUMNS} columns and nesting at ${MAX_DEPTH}`, () => {
    const fl = new TableFlattener();
    const wide =
      '{' + Array.from({ length: MAX_COLUMNS }, (_, i) => `"k${i}": ${i}`).join(',') + '}';
    expect(fl.flattenObject(wide).ok).toBe(true);
    const more = fl.flattenObject('{"k0": 1, "de trop": 2}');
    expect(!more.ok && more.reason).toMatch(/more than 4096 distinct columns/);
    expect(fl.columns.length).toBe(MAX_COLUMNS);
    const deep = '{"a":'.repeat(MAX_DEPTH + 5) + '1' + '}'.repeat(MAX_DEPTH + 5);
    const r = new TableFlattener().flattenObject(deep);
    expect(!r.ok && r.reason).toMatch(/nesting deeper than 512/);
    const deepArr = '{"a":' + '['.repeat(MAX_DEPTH + 5) + ']'.repeat(MAX_DEPTH + 5) + '}';
    expect(new TableFlattener().flattenObject(deepArr).ok).toBe(false);
  });
});

describe('the parser accepts exactly what JSON.parse accepts', () => {
  const accepts = (text: string): boolean => {
    try {
      const v: unknown = JSON.parse(text);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    } catch {
      return false;
    }
  };

  it('edge cases of the grammar', () => {
    const cases = [
      '{}',
      ' {} ',
      '{"a":1}x',
      '{"a":01}',
      '{"a":1.}',
      '{"a":.5}',
      '{"a":-}',
      '{"a":+1}',
      '{"a":1e}',
      '{"a":1e+}',
      '{"a":-0.0e-0}',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":tru}',
      '{"a":nul}',
      '{"a":truex}',
      "{'a':1}",
      '{"a":1,}',
      '{,"a":1}',
      '{"a" 1}',
      '{"a":1 "b":2}',
      '{"a":[1,]}',
      '{"a":[,1]}',
      '{"a":[1 2]}',
      '{"a":"\\x"}',
      '{"a":"\\u12"}',
      '{"a":"\\u12G4"}',
      '{"a":"\\uD83D"}',
      '{"a":"tab\there"}',
      '{"a":"nl\nhere"}',
      '{"a":"\u007f\u0080"}',
      '{"a":1}\u00a0',
      '{"a":1}\f',
      '{"a":\t1\r\n}',
      '{"a":{"b":{}}}',
      '{"a":{"b":}}',
      '{"a":{"b" 1}}',
      '{"a":[{"b":1},{"c":[true,false,null]}]}',
      '{"a":[{"b":1,}]}',
      '{"a":"unterminated}',
      '{"a":1',
      '{"a":"x"}}',
      '{"\\u0061":2}',
      '{"a":-12.5E+07}',
      '{"a":"\\"","b":"\\\\"}',
      '{"a":"\\\\\\"}',
    ];
    for (const text of cases) {
      const fl = new TableFlattener();
      expect(fl.flattenObject(text).ok, text).toBe(accepts(text));
    }
  });

  it('on thousands of mutated records', () => {
    const r = seededRandom(2024);
    const base = [
      '{"nom":"Lefèvre","prénom":"Hélène","age":42,"solde":-1.50e2,"actif":true,"tags":["a","\\u00e9"],"adresse":{"ville":"Nîmes","cp":"30000"},"notes":null}',
      '{ "stagiaire" : { "contact" : { "email" : "z@exemple.fr" } } , "liste" : [ { "x" : 1 } , [ 2 , 3 ] ] }',
    ];
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"',
      '\\',
      ',',
      ':',
      ' ',
      '0',
      '-',
      '.',
      'e',
      'u',
      'n',
      '\n',
      '\u0001',
      'é',
      '😀',
    ];
    for (let k = 0; k < 5000; k++) {
      let t = base[k % 2]!;
      const n = 1 + Math.floor(r() * 3);
      for (let j = 0; j < n; j++) {
        const at = Math.floor(r() * (t.length + 1));
        const op = r();
        if (op < 0.4) t = t.slice(0, at) + t.slice(at + 1);
        else if (op < 0.8)
          t = t.slice(0, at) + pieces[Math.floor(r() * pieces.length)] + t.slice(at);
        else t = t.slice(0, at) + t.slice(at, at + 5) + t.slice(at);
      }
      const fl = new TableFlattener();
      const res = fl.flattenObject(t);
      expect(res.ok, t).toBe(accepts(t));
      if (!res.ok) expect(fl.columns).toEqual([]);
    }
  });
});
