/**
 * The PII kind vocabulary used everywhere: profile output, redaction policies, filters
 * (DESIGN.md "PII kinds"). Adding a kind is a contract change; renaming one is not allowed.
 *
 * Pure: imports only zod.
 */
import { z } from 'zod';

export const PII_KINDS = [
  'email',
  'phone',
  'nir',
  'national_id',
  'france_travail_id',
  'first_name',
  'last_name',
  'full_name',
  'date_of_birth',
  'sex',
  'street_address',
  'postal_code',
  'city',
  'country',
  'iban',
  'bic',
  'siren',
  'siret',
  'rpps',
  'finess',
  'credit_card',
  'ip_address',
  'password',
  'password_hash',
  'username',
  'url',
  'date',
  'id',
  'free_text',
  'none',
] as const;

export const PiiKind = z.enum(PII_KINDS);
export type PiiKind = z.infer<typeof PiiKind>;

/** Plain-language labels for chips, reports and the audit log. */
export const PII_LABELS: Record<PiiKind, string> = {
  email: 'email address',
  phone: 'phone number',
  nir: 'French social security number (NIR)',
  national_id: 'national identity number (other country)',
  france_travail_id: 'France Travail identifier',
  first_name: 'first name',
  last_name: 'last name',
  full_name: 'full name',
  date_of_birth: 'date of birth',
  sex: 'sex',
  street_address: 'street address',
  postal_code: 'postal code',
  city: 'city',
  country: 'country',
  iban: 'IBAN',
  bic: 'BIC',
  siren: 'SIREN company number',
  siret: 'SIRET establishment number',
  rpps: 'RPPS health professional number',
  finess: 'FINESS health establishment number',
  credit_card: 'payment card number',
  ip_address: 'IP address',
  password: 'plaintext password',
  password_hash: 'password hash',
  username: 'username',
  url: 'URL',
  date: 'date',
  id: 'identifier',
  free_text: 'free text',
  none: 'no personal data',
};

/**
 * Special categories and high-risk kinds, flagged in sensitivity summaries (GDPR art. 9 health
 * data is signalled by RPPS/FINESS context; NIR and credentials are high risk by themselves).
 */
export const HIGH_RISK_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'nir',
  'national_id',
  'iban',
  'credit_card',
  'password',
  'password_hash',
  'rpps',
  'finess',
]);
