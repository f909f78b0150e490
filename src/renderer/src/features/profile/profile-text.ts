/**
 * Plain-language wording for the Profile view: what each sensitivity level, special category,
 * consistency check and verdict means for an investigator or a DPO. Pure; no DOM.
 */
import type {
  Consistency,
  ConsistencyCheck,
  ProfileSummary,
  SpecialCategory,
} from '../../../../shared/api';
import { HIGH_RISK_KINDS, PII_LABELS, type PiiKind } from '../../../../shared/pii';

export type SensitivityLevel = ProfileSummary['sensitivity']['level'];

export const LEVEL_TEXT: Record<SensitivityLevel, { label: string; meaning: string }> = {
  low: {
    label: 'Low',
    meaning: 'No direct identifier or special category was found in this dataset.',
  },
  moderate: {
    label: 'Moderate',
    meaning: 'People can be identified, but no high-risk data was found alongside.',
  },
  high: {
    label: 'High',
    meaning:
      'Identified people together with high-risk data (identity numbers, credentials or bank details).',
  },
  critical: {
    label: 'Critical',
    meaning:
      'Special-category or high-risk data tied to directly identified people: treat as a serious breach (GDPR art. 33–34 notification likely).',
  },
};

export const CATEGORY_TEXT: Record<
  SpecialCategory['category'],
  { label: string; meaning: string }
> = {
  health: {
    label: 'Health',
    meaning:
      'Links people to health care (GDPR art. 9 special category): practitioners, establishments or medical data.',
  },
  social_security: {
    label: 'Social security number',
    meaning:
      'French NIR: a lifelong identifier that encodes sex, birth date and place; its use is strictly regulated in France.',
  },
  credentials: {
    label: 'Credentials',
    meaning:
      'Passwords or password hashes: account takeover risk, including on other services where people reused them.',
  },
  financial: {
    label: 'Financial',
    meaning: 'Bank accounts or payment cards: fraud and direct-debit scam risk.',
  },
  identity_document: {
    label: 'Identity document',
    meaning: 'Identity document or foreign national numbers: identity theft risk.',
  },
};

export const CHECK_TEXT: Record<ConsistencyCheck['field'], string> = {
  sex: 'Sex (NIR digit 1)',
  birth_year: 'Birth year (NIR digits 2–3)',
  birth_month: 'Birth month (NIR digits 4–5)',
  department: 'Département (NIR digits 6–7 vs. postal code)',
};

export const VERDICT_TEXT: Record<Consistency['verdict'], string> = {
  consistent:
    'Consistent: the NIRs agree with the other columns of their records, as in genuine data.',
  mostly_consistent:
    'Mostly consistent: most NIRs agree with their records; the rest may be typos or merged sources.',
  inconsistent:
    'Inconsistent: NIRs often disagree with their own records — a sign of fabricated, shuffled or badly merged data.',
  not_enough_data:
    'Not enough data: too few records carry both a valid NIR and a field to compare.',
};

/** Kind label with its code, e.g. "email address". */
export function kindLabel(kind: PiiKind): string {
  return PII_LABELS[kind] ?? kind;
}

/** Badge tone: high-risk kinds, direct identifiers, then the rest. */
export function kindTone(kind: PiiKind): 'risk' | 'direct' | 'plain' {
  if (HIGH_RISK_KINDS.has(kind)) return 'risk';
  if (DIRECT.has(kind)) return 'direct';
  return 'plain';
}

const DIRECT: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'email',
  'phone',
  'france_travail_id',
  'first_name',
  'last_name',
  'full_name',
  'date_of_birth',
  'street_address',
  'username',
  'ip_address',
]);
