/**
 * Header hints, French and English: what a column's name says about its kind before any value
 * is looked at. A hint never detects by itself (the scorer multiplies it with value evidence,
 * so a header over values that fail every check stays at zero); it raises the confidence of the
 * kinds it names and, when it is specific, lowers the confidence of kinds it contradicts
 * (a column called "email" holding phone numbers is still reported as phone, less surely).
 *
 * Names are split into words (snake_case, camelCase, dotted JSON paths, spaces); the last path
 * segment decides first ("stagiaire.contact.email" is an email, "trainee.ssn" a NIR) and the
 * earlier ones only when it says nothing ("location.street.number").
 */
import type { PiiKind } from '../../../../shared/pii';

export interface HeaderHint {
  kinds: readonly PiiKind[];
  /** The word (or words) that made the hint. */
  word: string;
  /** A specific hint contradicts kinds outside its family; a generic one ("code") does not. */
  specific: boolean;
  /**
   * Taken from an enclosing JSON path segment ("login" for `login.salt`), not the column's own
   * name: it supports strong kinds but is not enough for the weak ones that need a header.
   */
  inherited: boolean;
}

interface Rule {
  /** Matched against the joined words ("date naissance") and each word. */
  re: RegExp;
  kinds: readonly PiiKind[];
  specific?: boolean;
}

// Order matters: the first rule that matches wins (multi-word and specific forms first).
// prettier-ignore
const RULES: readonly Rule[] = [
  { re: /^(?:no |num |numero |n )?(?:secu|securite sociale|secu sociale|nir|nss|insee|matricule secu)$|^(?:num|numero|no|n) (?:ss|secu)$|^(?:nir|nss|secu)\b/, kinds: ['nir'] },
  { re: /^ssn$|social security/, kinds: ['nir', 'national_id'] },
  { re: /\b(?:france travail|pole emploi|ft|pe)\b.*\b(?:id|identifiant|ident|num|numero)\b|\b(?:id|identifiant|ident|num|numero) (?:ft|pe|france travail|pole emploi)\b|^(?:identifiant|id) (?:demandeur|de)\b|france travail|pole emploi/, kinds: ['france_travail_id'] },
  { re: /(?:^| )(?:id|uuid|guid)$/, kinds: ['id'], specific: false },
  { re: /^(?:date|dt|d) (?:de )?(?:naissance|naiss|nais|birth)$|^(?:naissance|ddn|dob|birth ?date|birthdate|birthday|date of birth|ne le|nee le|born)$|^(?:birth|naissance) date$|\bdob\b|\bbirth ?date\b|\bdate naissance\b/, kinds: ['date_of_birth'] },
  { re: /^(?:lieu|ville|commune|city|place) (?:de )?(?:naissance|birth)$|^birth ?place$|^(?:lieu naissance)$/, kinds: ['city'] },
  { re: /^(?:pays|country) (?:de )?(?:naissance|birth)$|^(?:nationalite|nationality|nat)$/, kinds: ['country'] },
  { re: /\b(?:e ?mail|courriel|mel|email address|email adresse|adresse mail|adresse email|mail)\b/, kinds: ['email'] },
  { re: /\b(?:tel|telephone|phone|portable|mobile|gsm|fax|cell|cellphone|telecopie|tel fixe|fixe|extension)\b/, kinds: ['phone'] },
  { re: /\b(?:prenom|prenoms|first ?name|firstname|given ?name|forename|first)\b/, kinds: ['first_name'] },
  { re: /^(?:nom|nom de famille|nom famille|nom naissance|nom usage|nom marital|last ?name|lastname|surname|family ?name|last)$|\b(?:nom de famille|nom naissance|nom d usage|last ?name|surname|family ?name)\b/, kinds: ['last_name', 'full_name'] },
  { re: /\b(?:nom complet|full ?name|fullname|contact ?name|display ?name|nom prenom|identite|ship ?name|customer ?name)\b/, kinds: ['full_name', 'last_name'] },
  { re: /^(?:sexe|sex|gender|genre|civilite|civ|title of courtesy|titre|title|salutation)$/, kinds: ['sex'] },
  { re: /\b(?:code postal|postal ?code|postcode|zip|zipcode|zip code|cp|code post)\b/, kinds: ['postal_code'] },
  { re: /\b(?:code insee|insee|code commune|cog)\b/, kinds: ['city'] },
  { re: /\b(?:adresse|adresses|address|addr|adr|rue|street|voie|numero de rue|num rue|ligne adresse|address ?line|address1|address2|adresse1|adresse2|complement adresse)\b/, kinds: ['street_address'] },
  { re: /\b(?:ville|city|commune|localite|town|municipalite|municipality|cedex)\b/, kinds: ['city'] },
  { re: /\b(?:pays|country|nation)\b/, kinds: ['country'] },
  { re: /\biban\b|\brib\b|\bcompte bancaire\b|\bbank account\b/, kinds: ['iban'] },
  { re: /\b(?:bic|swift)\b/, kinds: ['bic'] },
  { re: /\bsiret\b/, kinds: ['siret'] },
  { re: /\b(?:siren|tva|vat|tva intracom)\b/, kinds: ['siren'] },
  { re: /\b(?:rpps|adeli|idnatps|id nat ps)\b/, kinds: ['rpps'] },
  { re: /\bfiness\b/, kinds: ['finess'] },
  { re: /\b(?:carte bancaire|numero carte|num carte|card ?number|credit ?card|cc ?number|pan|cb)\b/, kinds: ['credit_card'] },
  { re: /\b(?:ip|adresse ip|ip address|ipv4|ipv6|remote addr|last ip)\b/, kinds: ['ip_address'] },
  { re: /\b(?:hash|hashed|mdp hash|password hash|pwd hash|digest|md5|sha1|sha256|bcrypt|crypt)\b/, kinds: ['password_hash'] },
  { re: /\b(?:mdp|mot de passe|motdepasse|password|passwd|pass|pwd|passe|secret)\b/, kinds: ['password', 'password_hash'] },
  { re: /\b(?:login|username|user ?name|utilisateur|pseudo|pseudonyme|nickname|handle|compte|account)\b/, kinds: ['username'] },
  { re: /\b(?:url|site|site web|website|web ?page|homepage|lien|link|avatar|photo url|picture)\b/, kinds: ['url'] },
  { re: /\b(?:notes?|commentaires?|comments?|description|remarques?|observations?|message|texte|bio|motif)\b/, kinds: ['free_text'] },
  { re: /\b(?:date|created|updated|modified|last update|timestamp|inscription|registered|hire ?date|hired|embauche|creation|maj|at|jour|heure|time|deleted)\b/, kinds: ['date'] },
  { re: /^(?:id|uid|uuid|guid|pk|key|ref|reference|identifiant|ident|matricule|numero|num|no|code)$|\b(?:id|uuid|identifiant)\b/, kinds: ['id', 'username'], specific: false },
];

/** Kinds that a specific header does not contradict when it names another of the family. */
const FAMILIES: readonly (readonly PiiKind[])[] = [
  ['first_name', 'last_name', 'full_name', 'username'],
  ['password', 'password_hash'],
  ['date_of_birth', 'date'],
  ['street_address', 'postal_code', 'city', 'country'],
  ['siren', 'siret'],
  ['rpps', 'finess'],
  ['iban', 'bic'],
  ['nir', 'national_id'],
  ['id', 'france_travail_id', 'username'],
];

const NO_HEADER = /^(?:col|column|field|champ|c|f)[ _-]?\d+$|^\d+$/i;

/** Splits a column name into lower-case, accent-free words. */
export function headerWords(name: string): string[] {
  return name
    .replace(/([a-z\u00e0-\u00ff])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function ruleFor(words: string[]): HeaderHint | null {
  if (words.length === 0) return null;
  const joined = words.join(' ');
  for (const r of RULES) {
    const m = r.re.exec(joined);
    if (m) {
      const word = m[0].trim() || joined;
      return { kinds: r.kinds, word, specific: r.specific !== false, inherited: false };
    }
  }
  return null;
}

/** The hint of a column name (and dotted path), or null when it says nothing we know. */
export function headerHint(name: string, path = name): HeaderHint | null {
  if (NO_HEADER.test(name.trim())) return null;
  const segments = (path.includes('.') ? path : name).split('.');
  const last = headerWords(segments[segments.length - 1]!);
  const hint = ruleFor(last);
  if (hint && hint.specific && hint.kinds[0] !== 'date') return hint;
  // Earlier path segments, nearest first, when the last one is silent or generic:
  // "location.street.number" → street, "location.street.name" → street, "dob.date" → birth.
  for (let i = segments.length - 2; i >= 0; i--) {
    const h = ruleFor(headerWords(segments[i]!));
    if (h && h.specific && h.kinds[0] !== 'date') return { ...h, specific: false, inherited: true };
  }
  return hint;
}

export type HeaderVerdict = 'supports' | 'contradicts' | 'neutral';

export function headerVerdict(hint: HeaderHint | null, kind: PiiKind): HeaderVerdict {
  if (!hint) return 'neutral';
  if (hint.kinds.includes(kind)) return 'supports';
  if (!hint.specific) return 'neutral';
  for (const fam of FAMILIES) {
    if (fam.includes(kind) && hint.kinds.some((k) => fam.includes(k))) return 'neutral';
  }
  return 'contradicts';
}
