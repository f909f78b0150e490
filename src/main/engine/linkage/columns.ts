/**
 * Which columns of a dataset hold the identity fields the linkage uses ("roles").
 *
 * The profile decides (issue 4's `column_pii`: kind, confidence, share per column); linkage only
 * reads it. A dataset profiled with no identity kind at all, or not profiled (a case imported
 * before profiling existed), falls back to header names, so a file such as FEBRL's
 * (given_name, surname, soc_sec_id...) still links. Normalisers reject values that do not fit
 * their role, so a wrong role costs keys, never false matches.
 */
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { foldText } from './normalize';

export const ROLES = [
  'email',
  'phone',
  'nir',
  'france_travail_id',
  'iban',
  'national_id',
  'first_name',
  'last_name',
  'full_name',
  'date_of_birth',
  'postal_code',
  'street_address',
  'city',
] as const;
export type Role = (typeof ROLES)[number];

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

/** Profile kinds below this confidence are not used for identity. */
export const MIN_CONFIDENCE = 0.5;

export interface DatasetRoles {
  datasetId: number;
  /** Physical table (`ds_<id>`). */
  physical: string;
  /** Column indexes (the `c_<idx>` of the table) per role, best first. */
  columns: Partial<Record<Role, number[]>>;
  source: 'profile' | 'headers' | 'none';
  /** Column names per role, for reports. */
  names: Partial<Record<Role, string[]>>;
}

/** Header names (folded, separators as `_`) → role, French and English. */
const HEADER_ROLES: Readonly<Record<string, Role>> = {
  email: 'email',
  e_mail: 'email',
  mail: 'email',
  courriel: 'email',
  mel: 'email',
  adresse_mail: 'email',
  adresse_email: 'email',
  email_address: 'email',
  tel: 'phone',
  telephone: 'phone',
  phone: 'phone',
  phone_number: 'phone',
  portable: 'phone',
  mobile: 'phone',
  gsm: 'phone',
  num_tel: 'phone',
  numero_telephone: 'phone',
  nir: 'nir',
  num_secu: 'nir',
  numero_securite_sociale: 'nir',
  secu: 'nir',
  nss: 'nir',
  ssn: 'national_id',
  soc_sec_id: 'national_id',
  social_security_number: 'national_id',
  national_id: 'national_id',
  id_number: 'national_id',
  identifiant_ft: 'france_travail_id',
  france_travail_id: 'france_travail_id',
  identifiant_france_travail: 'france_travail_id',
  identifiant_pe: 'france_travail_id',
  id_pole_emploi: 'france_travail_id',
  iban: 'iban',
  prenom: 'first_name',
  prenoms: 'first_name',
  first_name: 'first_name',
  firstname: 'first_name',
  given_name: 'first_name',
  givenname: 'first_name',
  forename: 'first_name',
  nom: 'last_name',
  nom_famille: 'last_name',
  nom_de_famille: 'last_name',
  nom_naissance: 'last_name',
  last_name: 'last_name',
  lastname: 'last_name',
  surname: 'last_name',
  family_name: 'last_name',
  full_name: 'full_name',
  fullname: 'full_name',
  nom_complet: 'full_name',
  name: 'full_name',
  date_naissance: 'date_of_birth',
  date_de_naissance: 'date_of_birth',
  naissance: 'date_of_birth',
  ddn: 'date_of_birth',
  dob: 'date_of_birth',
  birth_date: 'date_of_birth',
  birthdate: 'date_of_birth',
  date_of_birth: 'date_of_birth',
  code_postal: 'postal_code',
  cp: 'postal_code',
  postcode: 'postal_code',
  postal_code: 'postal_code',
  zip: 'postal_code',
  zipcode: 'postal_code',
  zip_code: 'postal_code',
  postcode_fake: 'postal_code',
  adresse: 'street_address',
  adresse1: 'street_address',
  adresse2: 'street_address',
  rue: 'street_address',
  address: 'street_address',
  street: 'street_address',
  address_1: 'street_address',
  address_2: 'street_address',
  street_number: 'street_address',
  ville: 'city',
  city: 'city',
  commune: 'city',
  localite: 'city',
  suburb: 'city',
  town: 'city',
};

/** The role a header name suggests, from its last dotted segment ("stagiaire.contact.email"). */
export function headerRole(name: string): Role | null {
  const last = name.split('.').pop() ?? name;
  const key = foldText(last)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return HEADER_ROLES[key] ?? null;
}

function hasTable(db: ReadableDB, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

/** The identity roles of a dataset's columns (profile first, header names as fallback). */
export function datasetRoles(db: ReadableDB, datasetId: number): DatasetRoles {
  const ds = db.prepare('SELECT physical FROM datasets WHERE id = ?').get(datasetId) as
    { physical: string } | undefined;
  if (!ds) throw new Error(`dataset ${datasetId} not found`);
  sqlId(ds.physical);
  const cols = db
    .prepare('SELECT idx, name, path FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
    .all(datasetId) as { idx: number; name: string; path: string }[];
  const nameOf = new Map(cols.map((c) => [c.idx, c.path || c.name]));
  const out: DatasetRoles = {
    datasetId,
    physical: ds.physical,
    columns: {},
    names: {},
    source: 'none',
  };
  const add = (role: Role, idx: number) => {
    const list = (out.columns[role] ??= []);
    if (!list.includes(idx)) {
      list.push(idx);
      (out.names[role] ??= []).push(nameOf.get(idx) ?? `c_${idx}`);
    }
  };

  if (hasTable(db, 'column_pii')) {
    const rows = db
      .prepare(
        'SELECT column_idx, kind, confidence FROM column_pii WHERE dataset_id = ? AND confidence >= ? ORDER BY confidence DESC, column_idx',
      )
      .all(datasetId, MIN_CONFIDENCE) as { column_idx: number; kind: string }[];
    for (const r of rows) if (ROLE_SET.has(r.kind)) add(r.kind as Role, r.column_idx);
    if (Object.keys(out.columns).length > 0) out.source = 'profile';
  }
  // Header names fill only roles the profile left empty, from columns it gave no identity kind.
  const profiled = new Set(Object.values(out.columns).flat());
  const profiledRoles = new Set(Object.keys(out.columns));
  for (const c of cols) {
    if (profiled.has(c.idx)) continue;
    const role = headerRole(c.path || c.name) ?? headerRole(c.name);
    if (role && !profiledRoles.has(role)) add(role, c.idx);
  }
  if (out.source === 'none' && Object.keys(out.columns).length > 0) out.source = 'headers';
  return out;
}

/** Every column index a role list needs, in a stable order (for SELECT lists). */
export function roleColumns(roles: DatasetRoles): number[] {
  const set = new Set<number>();
  for (const r of ROLES) for (const idx of roles.columns[r] ?? []) set.add(idx);
  return [...set].sort((a, b) => a - b);
}
