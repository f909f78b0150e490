/**
 * Exact identifier validators and check-digit calculators (NIR, SIREN/SIRET, RPPS, FINESS, IBAN
 * and RIB key, BIC, France Travail id, payment cards, password-hash formats).
 *
 * Pure functions with no I/O: the PII detectors call the validate* functions on sampled values,
 * the test-data generator calls the check-digit functions so that what it writes validates here.
 */

export * from './normalize';
export * from './luhn';
export * from './mod97';
export * from './nir';
export * from './siren';
export * from './siret';
export * from './rpps';
export * from './finess';
export * from './rib';
export * from './iban';
export * from './bic';
export * from './franceTravail';
export * from './creditCard';
export * from './taxNumber';
export * from './passwordHash';
