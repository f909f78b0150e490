import { makePerson } from '../test/fixtures/gen/index.ts';
const N = Number(process.argv[2] ?? 100000);
const em = new Map<string, number>(); const nd = new Map<string, number>(); const np = new Map<string,number>();
const fn = new Map<string, number>(); const ln = new Map<string,number>();
for (let i = 0; i < N; i++) {
  const p = makePerson(42, i);
  em.set(p.email, (em.get(p.email) ?? 0) + 1);
  const k = [p.firstName, p.lastName].sort().join(' ') + '|' + p.birthYear + p.birthMonth + p.birthDay;
  nd.set(k, (nd.get(k) ?? 0) + 1);
  const k2 = [p.firstName, p.lastName].sort().join(' ') + '|' + p.postalCode;
  np.set(k2, (np.get(k2) ?? 0) + 1);
  fn.set(p.firstName, (fn.get(p.firstName) ?? 0) + 1); ln.set(p.lastName, (ln.get(p.lastName) ?? 0) + 1);
}
const pairs = (m: Map<string, number>) => { let s = 0; for (const v of m.values()) s += v * (v - 1) / 2; return s; };
console.log({ N, emailPairs: pairs(em), nameDobPairs: pairs(nd), namePostalPairs: pairs(np), firstNames: fn.size, lastNames: ln.size });
console.log([...fn.entries()].sort((a,b)=>b[1]-a[1]).slice(0,5), [...ln.entries()].sort((a,b)=>b[1]-a[1]).slice(0,5));
