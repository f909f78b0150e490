import { describe, expect, it } from 'vitest';
import { soundex2 } from '../../../src/main/engine/linkage/phonetic';
import {
  editDistance,
  jaro,
  jaroWinkler,
  tokenSimilarity,
} from '../../../src/main/engine/linkage/similarity';

describe('Soundex2 (French)', () => {
  it('matches the reference vectors (talisman phonetics/french/soundex2 tests)', () => {
    const vectors: [string, string][] = [
      ['Asamian', 'AZMN'],
      ['Knight', 'NG'],
      ['MacKenzie', 'MKNZ'],
      ['Pfeifer', 'FR'],
      ['Philippe', 'FLP'],
      ['Schindler', 'SNDL'],
      ['Chateau', 'CHT'],
      ['Habitat', 'HBT'],
      ['Teheran', 'TRN'],
      ['Essayer', 'ESYR'],
      ['Crayon', 'CRYN'],
      ['Plyne', 'PLN'],
      ['Barad', 'BR'],
      ['Martin', 'MRTN'],
      ['Bernard', 'BRNR'],
      ['Faure', 'FR'],
      ['Perez', 'PRZ'],
      ['Gros', 'GR'],
      ['Chapuis', 'CHP'],
      ['Boyer', 'BYR'],
      ['Gauthier', 'KTR'],
      ['Rey', 'RY'],
      ['Barthelemy', 'BRTL'],
      ['Henry', 'HNR'],
      ['Moulin', 'MLN'],
      ['Rousseau', 'RS'],
    ];
    for (const [word, code] of vectors) expect(soundex2(word), word).toBe(code);
  });
  it('brings French spelling variants together', () => {
    expect(soundex2('gautier')).toBe(soundex2('gauthier'));
    expect(soundex2('dupont')).toBe(soundex2('dupond'));
    expect(soundex2('')).toBe('');
  });
});

describe('string similarity', () => {
  it('Jaro and Jaro-Winkler give the textbook values', () => {
    expect(jaro('martha', 'marhta')).toBeCloseTo(0.9444, 4);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
  it('edit distance with transpositions, capped', () => {
    expect(editDistance('5304218', '5304218')).toBe(0);
    expect(editDistance('5304218', '5302418')).toBe(1);
    expect(editDistance('5304218', '530421')).toBe(1);
    expect(editDistance('5304218', '9999999', 2)).toBe(3);
  });
  it('address token overlap tolerates a typo in the street name', () => {
    expect(tokenSimilarity(['12', 'avenue', 'republique'], ['12', 'avenue', 'republiqeu'])).toBe(1);
    expect(tokenSimilarity(['12', 'rue', 'carnot'], ['14', 'rue', 'carnot'])).toBeCloseTo(2 / 3, 5);
    expect(tokenSimilarity([], ['x'])).toBe(0);
  });
});
