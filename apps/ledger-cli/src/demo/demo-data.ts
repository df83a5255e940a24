// The demo data set: a pure, deterministic plan of what a newcomer's ledger should hold (organisations,
// verifiers, pledges over both built-in action frameworks, and the follow-ups that make the reports speak:
// progress, corrections, amendments incl. watering-down, withdrawals, fulfilments, verifications).
// Everything here is fictional: organisation names are plausible but invented (no real private persons),
// evidence links point at the reserved example.org domain. Same seed + same `now` + same tag → same plan.
// The plan names things symbolically (pledge keys, report keys); load-demo.ts turns them into ids.
import {
  applyTermsChanges,
  calendarDateOf,
  findWateringDown,
  REGION_NAMES,
  type ActionRef,
  type ActorType,
  type Money,
  type PledgeTerms,
  type PledgeTermsChanges,
  type Region,
  type Target,
} from '@ledger/domain';

// ---------------------------------------------------------------------------------------------------------
// The plan

export interface DemoOrganisation {
  /** Symbolic key, stable across runs, e.g. "org-gov-rw". */
  key: string;
  name: string;
  type: ActorType;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

export interface DemoVerifier {
  key: string;
  name: string;
}

export interface DemoPledge {
  /** Symbolic key, e.g. "p017"; also the step of its submission. */
  key: string;
  /** Key of the organisation submitting it. */
  organisation: string;
  terms: PledgeTerms;
}

interface OperationBase {
  /** Unique within the plan; the loader derives the Idempotency-Key from it. */
  step: string;
  /** Key of the pledge the operation applies to. */
  pledge: string;
}

export interface DemoProgress extends OperationBase {
  kind: 'progress';
  /** Symbolic key of the report this creates; the loader learns its id from the response. */
  report: string;
  targetId: string;
  value: number;
  asOf: string;
  narrative: string;
  evidence: string[];
}

export interface DemoCorrection extends OperationBase {
  kind: 'correction';
  /** Symbolic key of the correcting report this creates. */
  report: string;
  /** Symbolic key of the report it corrects. */
  corrects: string;
  value: number;
  asOf: string;
  narrative: string;
  evidence: string[];
  reason: string;
}

export interface DemoAmendment extends OperationBase {
  kind: 'amendment';
  reason: string;
  changes: PledgeTermsChanges;
  /** True when the amendment lowers a target, postpones a deadline or cuts the money (by construction). */
  wateringDown: boolean;
}

export interface DemoFulfilment extends OperationBase {
  kind: 'fulfilment';
  note: string;
}

export interface DemoWithdrawal extends OperationBase {
  kind: 'withdrawal';
  reason: string;
}

export interface DemoVerification extends OperationBase {
  kind: 'verification';
  /** Key of the verifier recording it. */
  verifier: string;
  outcome: 'confirmed' | 'disputed';
  note: string;
  /** Symbolic key of the verified progress report; absent for the pledge as a whole. */
  report?: string;
}

export type DemoOperation =
  DemoProgress | DemoCorrection | DemoAmendment | DemoFulfilment | DemoWithdrawal | DemoVerification;

export interface DemoPlan {
  seed: string;
  /** The instant the plan was made for (ISO 8601); no as-of date is after its UTC day. */
  now: string;
  tag: string;
  organisations: DemoOrganisation[];
  verifiers: DemoVerifier[];
  pledges: DemoPledge[];
  /** Follow-ups in a sensible order; for each pledge, its operations must run in this order. */
  operations: DemoOperation[];
}

export interface DemoPlanOptions {
  /** Any string or number; the default gives the standard demo set. */
  seed?: string | number;
  /** As-of dates are placed before this instant. Default: the current time. */
  now?: Date;
  /** Appended to every organisation and verifier name ("… [tag]") so a second set can go into one database. */
  tag?: string;
}

export const DEFAULT_DEMO_SEED = 'wsis10-gender-gap-demo';

// ---------------------------------------------------------------------------------------------------------
// Seeded PRNG (xmur3 string hash → mulberry32): tiny, fast and the same on every platform.

export interface Random {
  /** [0, 1) */
  next(): number;
  /** Integer in [min, max] */
  int(min: number, max: number): number;
  /** Float in [min, max) */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

function hashSeed(seed: string): number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

export function seededRandom(seed: string | number): Random {
  let state = hashSeed(String(seed));
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    },
  };
  return random;
}

// ---------------------------------------------------------------------------------------------------------
// Reference data: countries, organisations, verifiers

interface CountryInfo {
  name: string;
  regions: Region[];
  currency: string;
  /** Rough units per USD, only to make amounts look plausible. */
  perUsd: number;
}

const COUNTRIES: Readonly<Record<string, CountryInfo>> = {
  KE: { name: 'Kenya', regions: ['eastern-africa', 'sub-saharan-africa'], currency: 'KES', perUsd: 129 },
  RW: {
    name: 'Rwanda',
    regions: ['eastern-africa', 'least-developed-countries', 'landlocked-developing-countries'],
    currency: 'RWF',
    perUsd: 1400,
  },
  UG: {
    name: 'Uganda',
    regions: ['eastern-africa', 'least-developed-countries'],
    currency: 'UGX',
    perUsd: 3700,
  },
  TZ: { name: 'Tanzania', regions: ['eastern-africa'], currency: 'TZS', perUsd: 2600 },
  ET: {
    name: 'Ethiopia',
    regions: ['eastern-africa', 'least-developed-countries'],
    currency: 'ETB',
    perUsd: 120,
  },
  NG: { name: 'Nigeria', regions: ['western-africa', 'sub-saharan-africa'], currency: 'NGN', perUsd: 1500 },
  GH: { name: 'Ghana', regions: ['western-africa', 'sub-saharan-africa'], currency: 'GHS', perUsd: 15 },
  SN: {
    name: 'Senegal',
    regions: ['western-africa', 'least-developed-countries'],
    currency: 'XOF',
    perUsd: 600,
  },
  ZA: {
    name: 'South Africa',
    regions: ['southern-africa', 'sub-saharan-africa'],
    currency: 'ZAR',
    perUsd: 18,
  },
  EG: { name: 'Egypt', regions: ['northern-africa', 'arab-states'], currency: 'EGP', perUsd: 48 },
  MA: { name: 'Morocco', regions: ['northern-africa', 'arab-states'], currency: 'MAD', perUsd: 10 },
  JO: { name: 'Jordan', regions: ['western-asia', 'arab-states'], currency: 'JOD', perUsd: 0.71 },
  IN: { name: 'India', regions: ['southern-asia', 'asia-pacific'], currency: 'INR', perUsd: 84 },
  BD: {
    name: 'Bangladesh',
    regions: ['southern-asia', 'least-developed-countries'],
    currency: 'BDT',
    perUsd: 120,
  },
  PK: { name: 'Pakistan', regions: ['southern-asia', 'asia-pacific'], currency: 'PKR', perUsd: 280 },
  ID: { name: 'Indonesia', regions: ['south-eastern-asia', 'asia-pacific'], currency: 'IDR', perUsd: 16000 },
  PH: {
    name: 'the Philippines',
    regions: ['south-eastern-asia', 'asia-pacific'],
    currency: 'PHP',
    perUsd: 57,
  },
  VN: { name: 'Viet Nam', regions: ['south-eastern-asia', 'asia-pacific'], currency: 'VND', perUsd: 25000 },
  TH: { name: 'Thailand', regions: ['south-eastern-asia', 'asia-pacific'], currency: 'THB', perUsd: 35 },
  FJ: {
    name: 'Fiji',
    regions: ['melanesia', 'small-island-developing-states'],
    currency: 'FJD',
    perUsd: 2.25,
  },
  BR: { name: 'Brazil', regions: ['south-america', 'latin-america-caribbean'], currency: 'BRL', perUsd: 5.5 },
  MX: {
    name: 'Mexico',
    regions: ['central-america', 'latin-america-caribbean'],
    currency: 'MXN',
    perUsd: 18,
  },
  CO: {
    name: 'Colombia',
    regions: ['south-america', 'latin-america-caribbean'],
    currency: 'COP',
    perUsd: 4000,
  },
  CL: { name: 'Chile', regions: ['south-america', 'latin-america-caribbean'], currency: 'CLP', perUsd: 950 },
  JM: {
    name: 'Jamaica',
    regions: ['caribbean', 'small-island-developing-states'],
    currency: 'JMD',
    perUsd: 157,
  },
  SE: { name: 'Sweden', regions: ['northern-europe', 'europe'], currency: 'SEK', perUsd: 10.5 },
  NO: { name: 'Norway', regions: ['northern-europe', 'europe'], currency: 'NOK', perUsd: 10.8 },
  FI: { name: 'Finland', regions: ['northern-europe', 'europe'], currency: 'EUR', perUsd: 0.92 },
  GB: { name: 'the United Kingdom', regions: ['northern-europe', 'europe'], currency: 'GBP', perUsd: 0.78 },
  US: { name: 'the United States', regions: ['northern-america', 'americas'], currency: 'USD', perUsd: 1 },
  CH: { name: 'Switzerland', regions: ['western-europe', 'europe'], currency: 'CHF', perUsd: 0.88 },
};

/** Rough units per USD of the currencies used without a home country (USD, EUR). */
const PER_USD: Readonly<Record<string, number>> = { USD: 1, EUR: 0.92 };

type ThemeKey =
  | 'access'
  | 'skills'
  | 'leadership'
  | 'policy'
  | 'entrepreneurship'
  | 'safety'
  | 'partnerships'
  | 'communicate'
  | 'research';

interface OrganisationSeed {
  key: string;
  name: string;
  type: ActorType;
  country: string;
  /** Countries its pledges cover (default: its home country). */
  focus?: string[];
  /** Regions its pledges may cover instead of countries. */
  regions?: Region[];
  /** May make worldwide pledges. */
  global?: boolean;
  /** Currency of its financial commitments (default: the home country's). */
  currency?: string;
  themes: ThemeKey[];
}

const ORGANISATIONS: readonly OrganisationSeed[] = [
  // government
  {
    key: 'gov-rw',
    name: 'Ministry of ICT and Innovation, Rwanda',
    type: 'government',
    country: 'RW',
    themes: ['access', 'skills', 'policy', 'partnerships'],
  },
  {
    key: 'gov-ke',
    name: 'Ministry of Information, Communications and the Digital Economy, Kenya',
    type: 'government',
    country: 'KE',
    themes: ['access', 'policy', 'skills', 'safety'],
  },
  {
    key: 'gov-ng',
    name: 'Federal Ministry of Communications and Digital Economy, Nigeria',
    type: 'government',
    country: 'NG',
    themes: ['skills', 'access', 'entrepreneurship'],
  },
  {
    key: 'gov-in',
    name: 'National Digital Literacy Mission Directorate, India',
    type: 'government',
    country: 'IN',
    themes: ['skills', 'access', 'safety'],
  },
  {
    key: 'gov-mx',
    name: 'Secretaría de Inclusión Digital, México',
    type: 'government',
    country: 'MX',
    themes: ['access', 'policy', 'safety'],
  },
  {
    key: 'gov-br',
    name: 'Secretaria de Inclusão Digital, Ministério das Comunicações, Brasil',
    type: 'government',
    country: 'BR',
    themes: ['access', 'skills', 'policy'],
  },
  {
    key: 'gov-ph',
    name: 'Digital Inclusion Office, Department of ICT, Philippines',
    type: 'government',
    country: 'PH',
    themes: ['access', 'skills', 'safety'],
  },
  {
    key: 'gov-jo',
    name: 'Ministry of Digital Economy and Entrepreneurship, Jordan',
    type: 'government',
    country: 'JO',
    themes: ['entrepreneurship', 'leadership', 'skills'],
  },
  {
    key: 'gov-sn',
    name: "Ministère de la Communication et de l'Économie numérique, Sénégal",
    type: 'government',
    country: 'SN',
    themes: ['access', 'policy', 'communicate'],
  },
  {
    key: 'gov-se',
    name: 'Swedish Agency for Digital Development Cooperation',
    type: 'government',
    country: 'SE',
    focus: ['KE', 'UG', 'ET', 'RW', 'BD'],
    regions: ['eastern-africa', 'least-developed-countries'],
    themes: ['partnerships', 'policy', 'research'],
  },
  // private sector
  {
    key: 'biz-savanna',
    name: 'Savanna Mobile plc (Kenya)',
    type: 'private-sector',
    country: 'KE',
    focus: ['KE', 'UG', 'RW', 'TZ'],
    themes: ['access', 'leadership', 'entrepreneurship'],
  },
  {
    key: 'biz-lagos',
    name: 'Lagos Fibre & Mobile Ltd',
    type: 'private-sector',
    country: 'NG',
    focus: ['NG', 'GH'],
    themes: ['access', 'leadership'],
  },
  {
    key: 'biz-andes',
    name: 'Andes Conecta S.A.',
    type: 'private-sector',
    country: 'CO',
    focus: ['CO', 'CL'],
    themes: ['access', 'leadership', 'entrepreneurship'],
  },
  {
    key: 'biz-bengal',
    name: 'Bengal Telecom Ltd',
    type: 'private-sector',
    country: 'BD',
    themes: ['access', 'entrepreneurship'],
  },
  {
    key: 'biz-nusantara',
    name: 'Nusantara Digital Tbk',
    type: 'private-sector',
    country: 'ID',
    themes: ['access', 'skills', 'leadership'],
  },
  {
    key: 'biz-mekong',
    name: 'Mekong Mobile JSC',
    type: 'private-sector',
    country: 'VN',
    themes: ['access', 'leadership'],
  },
  {
    key: 'biz-atlas',
    name: 'Atlas Connect SA (Morocco)',
    type: 'private-sector',
    country: 'MA',
    focus: ['MA', 'EG'],
    themes: ['access', 'leadership', 'skills'],
  },
  {
    key: 'biz-operators',
    name: 'Connected Women Operators Alliance (GSMA-style operator association)',
    type: 'private-sector',
    country: 'GB',
    focus: ['KE', 'NG', 'IN', 'BD', 'PK'],
    regions: ['sub-saharan-africa', 'southern-asia'],
    currency: 'USD',
    themes: ['access', 'partnerships', 'leadership'],
  },
  {
    key: 'biz-pacific',
    name: 'Pacific Islands Telecom Group',
    type: 'private-sector',
    country: 'FJ',
    regions: ['melanesia', 'small-island-developing-states'],
    themes: ['access', 'entrepreneurship'],
  },
  // civil society
  {
    key: 'cso-digital-sisters',
    name: 'Digital Sisters Network (Kenya)',
    type: 'civil-society',
    country: 'KE',
    themes: ['skills', 'safety', 'communicate'],
  },
  {
    key: 'cso-mujeres-en-red',
    name: 'Mujeres en Red (México)',
    type: 'civil-society',
    country: 'MX',
    themes: ['safety', 'skills', 'communicate'],
  },
  {
    key: 'cso-shecodes',
    name: 'SheCodes Accra Collective (Ghana)',
    type: 'civil-society',
    country: 'GH',
    themes: ['skills', 'entrepreneurship'],
  },
  {
    key: 'cso-wdrf',
    name: "Women's Digital Rights Forum (Pakistan)",
    type: 'civil-society',
    country: 'PK',
    themes: ['safety', 'communicate', 'policy'],
  },
  {
    key: 'cso-kigali-girls',
    name: 'Kigali Girls in ICT Collective (Rwanda)',
    type: 'civil-society',
    country: 'RW',
    themes: ['skills', 'leadership'],
  },
  {
    key: 'cso-rede',
    name: 'Rede Mulheres Conectadas (Brasil)',
    type: 'civil-society',
    country: 'BR',
    themes: ['skills', 'entrepreneurship', 'communicate'],
  },
  {
    key: 'cso-safe-spaces',
    name: 'Tech Safe Spaces Coalition (India)',
    type: 'civil-society',
    country: 'IN',
    themes: ['safety', 'access'],
  },
  {
    key: 'cso-amal',
    name: "Amal Women's Tech Association (Egypt)",
    type: 'civil-society',
    country: 'EG',
    themes: ['skills', 'entrepreneurship', 'leadership'],
  },
  {
    key: 'cso-caribbean',
    name: 'Caribbean Women in Technology Network (Jamaica)',
    type: 'civil-society',
    country: 'JM',
    regions: ['caribbean'],
    themes: ['skills', 'leadership'],
  },
  // international organisations
  {
    key: 'io-unwomen-sn',
    name: 'UN Women country office, Senegal',
    type: 'international-organisation',
    country: 'SN',
    regions: ['western-africa'],
    currency: 'USD',
    themes: ['policy', 'partnerships', 'safety'],
  },
  {
    key: 'io-africa-programme',
    name: 'Regional Digital Gender Programme for Africa (UN agency regional office)',
    type: 'international-organisation',
    country: 'ET',
    focus: ['ET', 'KE', 'SN', 'NG'],
    regions: ['africa', 'sub-saharan-africa', 'least-developed-countries'],
    currency: 'USD',
    themes: ['policy', 'partnerships', 'access'],
  },
  {
    key: 'io-asia-pacific',
    name: 'Asia-Pacific Digital Inclusion Facility',
    type: 'international-organisation',
    country: 'TH',
    focus: ['TH', 'VN', 'PH', 'ID'],
    regions: ['asia-pacific', 'south-eastern-asia', 'southern-asia'],
    currency: 'USD',
    themes: ['access', 'skills', 'partnerships'],
  },
  {
    key: 'io-americas-fund',
    name: 'Inter-American Women Connectivity Fund',
    type: 'international-organisation',
    country: 'US',
    focus: ['MX', 'CO', 'BR', 'JM'],
    regions: ['latin-america-caribbean', 'caribbean', 'central-america'],
    currency: 'USD',
    themes: ['access', 'entrepreneurship', 'partnerships'],
  },
  {
    key: 'io-nordic',
    name: 'Nordic Development Partnership for Gender and ICT',
    type: 'international-organisation',
    country: 'NO',
    focus: ['KE', 'UG', 'ET', 'TZ'],
    regions: ['eastern-africa', 'least-developed-countries'],
    global: true,
    themes: ['partnerships', 'research', 'policy'],
  },
  // academia
  {
    key: 'uni-nairobi',
    name: 'East African Institute for Technology Policy (Nairobi)',
    type: 'academia',
    country: 'KE',
    regions: ['eastern-africa'],
    themes: ['research', 'policy'],
  },
  {
    key: 'uni-cape',
    name: 'Cape Centre for Gender and Technology Studies',
    type: 'academia',
    country: 'ZA',
    themes: ['research', 'leadership'],
  },
  {
    key: 'uni-medellin',
    name: 'Instituto de Estudios Digitales de Medellín',
    type: 'academia',
    country: 'CO',
    themes: ['research', 'skills'],
  },
  {
    key: 'uni-dhaka',
    name: 'Dhaka Institute for ICT and Development Research',
    type: 'academia',
    country: 'BD',
    themes: ['research', 'policy'],
  },
  {
    key: 'uni-nordic',
    name: 'Nordic Institute for Gender and Information Society Research',
    type: 'academia',
    country: 'FI',
    focus: ['KE', 'ZA', 'TZ'],
    global: true,
    themes: ['research', 'partnerships'],
  },
  // multi-stakeholder
  {
    key: 'msp-southern-africa',
    name: 'Women Connect Partnership for Southern Africa',
    type: 'multi-stakeholder',
    country: 'ZA',
    focus: ['ZA'],
    regions: ['southern-africa'],
    themes: ['partnerships', 'access', 'skills'],
  },
  {
    key: 'msp-americas',
    name: 'Digital Gender Compact of the Americas',
    type: 'multi-stakeholder',
    country: 'CL',
    focus: ['CL', 'CO', 'MX'],
    regions: ['latin-america-caribbean', 'south-america'],
    currency: 'USD',
    themes: ['partnerships', 'policy', 'leadership'],
  },
  {
    key: 'msp-safe-online',
    name: 'Global Alliance for Safe Online Spaces',
    type: 'multi-stakeholder',
    country: 'CH',
    focus: ['IN', 'BR', 'KE', 'PH', 'MX'],
    global: true,
    currency: 'USD',
    themes: ['safety', 'partnerships', 'communicate'],
  },
  {
    key: 'msp-pacific',
    name: 'Pacific Digital Equality Alliance',
    type: 'multi-stakeholder',
    country: 'FJ',
    regions: ['melanesia', 'polynesia', 'micronesia', 'small-island-developing-states'],
    themes: ['access', 'communicate', 'partnerships'],
  },
];

const VERIFIERS: readonly DemoVerifier[] = [
  { key: 'ver-caucus', name: 'Gender Caucus Monitoring Group' },
  { key: 'ver-audit', name: 'Independent Digital Equality Audit Bureau' },
  { key: 'ver-watch', name: 'Open Pledge Watch' },
  { key: 'ver-observatory', name: 'Feminist Internet Accountability Observatory' },
];

// ---------------------------------------------------------------------------------------------------------
// Indicators and themes

interface Scope {
  /** "Kenya", "Kenya and Uganda", "Eastern Africa", "worldwide" */
  place: string;
  /** "in Kenya", "across Eastern Africa", "worldwide" */
  inPlace: string;
}

interface TargetDraft {
  indicator: string;
  unit: string;
  baseline: number;
  targetValue: number;
}

interface IndicatorKind {
  /** Also the target id. */
  id: string;
  /** Decimals of measured values: 0 for counts, 1 for shares and gaps. */
  decimals: 0 | 1;
  make(random: Random, scale: number, scope: Scope): TargetDraft;
  /** A title naming the headline target. */
  headline(target: Target, scope: Scope, year: number): string;
}

const round = (value: number, decimals: 0 | 1): number =>
  decimals === 0 ? Math.round(value) : Math.round(value * 10) / 10;

/** Two significant figures: 137_482 → 140_000. */
function nice(value: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/** 250000 → "250,000" (locale-free, so the plan is the same everywhere). */
function grouped(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function share(random: Random, baseMin: number, baseMax: number, riseMin: number, riseMax: number) {
  const baseline = round(random.between(baseMin, baseMax), 1);
  const targetValue = round(Math.min(95, baseline + random.between(riseMin, riseMax)), 1);
  return { baseline, targetValue };
}

function gap(random: Random, baseMin: number, baseMax: number, keepMin: number, keepMax: number) {
  const baseline = round(random.between(baseMin, baseMax), 1);
  const targetValue = round(baseline * random.between(keepMin, keepMax), 1);
  return { baseline, targetValue };
}

function count(random: Random, scale: number, min: number, max: number, withBaseline = 0.4) {
  const targetValue = Math.max(10, nice(random.between(min, max) * scale));
  const baseline = random.chance(withBaseline) ? nice(targetValue * random.between(0.05, 0.3)) : 0;
  return { baseline, targetValue };
}

const INDICATORS: Readonly<Record<string, IndicatorKind>> = Object.fromEntries(
  (
    [
      {
        id: 'women-online',
        decimals: 1,
        make: (r, _s, scope) => ({
          indicator: `Women using the internet ${scope.inPlace}`,
          unit: '% of women aged 15+',
          ...share(r, 22, 70, 10, 22),
        }),
        headline: (t, scope, year) => `Bring ${t.targetValue}% of women ${scope.inPlace} online by ${year}`,
      },
      {
        id: 'internet-gap',
        decimals: 1,
        make: (r, _s, scope) => ({
          indicator: `Gender gap in internet use ${scope.inPlace}`,
          unit: 'percentage points',
          ...gap(r, 6, 28, 0.3, 0.6),
        }),
        headline: (t, scope, year) =>
          `Cut the gender gap in internet use ${scope.inPlace} to ${t.targetValue} points by ${year}`,
      },
      {
        id: 'mobile-gap',
        decimals: 1,
        make: (r, _s, scope) => ({
          indicator: `Gender gap in mobile phone ownership ${scope.inPlace}`,
          unit: 'percentage points',
          ...gap(r, 5, 24, 0.3, 0.6),
        }),
        headline: (_t, scope, year) => `Halve the gender gap in mobile ownership ${scope.inPlace} by ${year}`,
      },
      {
        id: 'smartphone-gap',
        decimals: 1,
        make: (r, _s, scope) => ({
          indicator: `Gender gap in smartphone ownership ${scope.inPlace}`,
          unit: 'percentage points',
          ...gap(r, 8, 30, 0.35, 0.65),
        }),
        headline: (_t, scope, year) => `Affordable smartphones for women ${scope.inPlace} by ${year}`,
      },
      {
        id: 'rural-women-online',
        decimals: 1,
        make: (r, _s, scope) => ({
          indicator: `Rural women using mobile internet ${scope.inPlace}`,
          unit: '% of rural women aged 15+',
          ...share(r, 10, 45, 10, 20),
        }),
        headline: (_t, scope, year) => `Last-mile connectivity for rural women ${scope.inPlace} by ${year}`,
      },
      {
        id: 'public-access-points',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Public internet access points meeting safety and accessibility standards for women',
          unit: 'sites',
          ...count(r, s, 80, 1200),
        }),
        headline: (t, scope) =>
          `${grouped(t.targetValue)} women-safe public internet access points ${scope.inPlace}`,
      },
      {
        id: 'handset-financing',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Women customers using handset instalment plans',
          unit: 'customers',
          ...count(r, s, 40_000, 900_000),
        }),
        headline: (t, scope, year) =>
          `Handset financing for ${grouped(t.targetValue)} women ${scope.inPlace} by ${year}`,
      },
      {
        id: 'mobile-money-gap',
        decimals: 1,
        make: (r, _s, scope) => ({
          indicator: `Gender gap in mobile money account ownership ${scope.inPlace}`,
          unit: 'percentage points',
          ...gap(r, 6, 20, 0.3, 0.6),
        }),
        headline: (_t, scope, year) => `Close the mobile money gender gap ${scope.inPlace} by ${year}`,
      },
      {
        id: 'women-trained',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Women and girls completing certified digital skills training',
          unit: 'people',
          ...count(r, s, 20_000, 400_000),
        }),
        headline: (t, scope, year) =>
          `Digital skills for ${grouped(t.targetValue)} women and girls ${scope.inPlace} by ${year}`,
      },
      {
        id: 'girls-coding',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Girls enrolled in after-school coding clubs',
          unit: 'girls',
          ...count(r, s, 5_000, 120_000),
        }),
        headline: (t, scope, year) => `${grouped(t.targetValue)} girls coding ${scope.inPlace} by ${year}`,
      },
      {
        id: 'teachers-trained',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Teachers trained to deliver the gender-responsive ICT curriculum',
          unit: 'teachers',
          ...count(r, s, 1_000, 30_000),
        }),
        headline: (_t, scope, year) =>
          `Gender-responsive ICT curriculum in every school ${scope.inPlace} by ${year}`,
      },
      {
        id: 'leadership-share',
        decimals: 1,
        make: (r) => ({
          indicator: 'Women in senior technology and decision-making roles',
          unit: '% of senior roles',
          ...share(r, 12, 30, 10, 20),
        }),
        headline: (t, _scope, year) => `Women in ${t.targetValue}% of senior technology roles by ${year}`,
      },
      {
        id: 'women-engineers',
        decimals: 1,
        make: (r) => ({
          indicator: 'Women among newly hired engineers and network technicians',
          unit: '% of new hires',
          ...share(r, 14, 30, 12, 22),
        }),
        headline: (_t, _scope, year) => `Gender-balanced engineering hiring by ${year}`,
      },
      {
        id: 'pay-gap',
        decimals: 1,
        make: (r) => {
          const baseline = round(r.between(8, 22), 1);
          return {
            indicator: 'Gender pay gap in technical roles',
            unit: '% of median male pay',
            baseline,
            targetValue: round(r.between(0, 3), 1),
          };
        },
        headline: (_t, _scope, year) => `Close the gender pay gap in technical roles by ${year}`,
      },
      {
        id: 'board-share',
        decimals: 1,
        make: (r) => ({
          indicator: 'Women on boards and executive committees in the ICT sector',
          unit: '% of seats',
          ...share(r, 10, 28, 12, 20),
        }),
        headline: (_t, scope, year) => `Parity on ICT sector boards ${scope.inPlace} by ${year}`,
      },
      {
        id: 'sex-disaggregated-data',
        decimals: 0,
        make: (r) => ({
          indicator: 'National ICT indicators published with sex-disaggregated data',
          unit: 'indicators',
          baseline: r.int(2, 8),
          targetValue: r.int(20, 40),
        }),
        headline: (_t, scope, year) => `Sex-disaggregated ICT statistics ${scope.inPlace} by ${year}`,
      },
      {
        id: 'usf-gender-share',
        decimals: 1,
        make: (r) => ({
          indicator: 'Universal service fund disbursements for projects reaching women and girls',
          unit: '% of annual disbursements',
          baseline: round(r.between(0, 6), 1),
          targetValue: r.int(20, 35),
        }),
        headline: (t, scope, year) =>
          `${t.targetValue}% of universal service funds for women and girls ${scope.inPlace} by ${year}`,
      },
      {
        id: 'women-entrepreneurs',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Women-led digital enterprises receiving finance or mentoring',
          unit: 'enterprises',
          ...count(r, s, 500, 20_000),
        }),
        headline: (t, scope, year) =>
          `Finance and mentoring for ${grouped(t.targetValue)} women-led digital enterprises ${scope.inPlace} by ${year}`,
      },
      {
        id: 'women-online-sellers',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Women-owned small businesses selling through online channels',
          unit: 'businesses',
          ...count(r, s, 2_000, 80_000),
        }),
        headline: (t, scope, year) =>
          `${grouped(t.targetValue)} women-owned businesses selling online ${scope.inPlace} by ${year}`,
      },
      {
        id: 'ogbv-resolved',
        decimals: 1,
        make: (r) => ({
          indicator: 'Reports of technology-facilitated gender-based violence resolved within 30 days',
          unit: '% of reports',
          baseline: round(r.between(18, 45), 1),
          targetValue: r.int(75, 90),
        }),
        headline: (_t, scope, year) =>
          `Fast, accountable redress for online gender-based violence ${scope.inPlace} by ${year}`,
      },
      {
        id: 'feel-safe-online',
        decimals: 1,
        make: (r) => ({
          indicator: 'Women internet users who report feeling safe online',
          unit: '% of women internet users',
          ...share(r, 28, 52, 12, 25),
        }),
        headline: (_t, scope, year) => `Safe online spaces for women and girls ${scope.inPlace} by ${year}`,
      },
      {
        id: 'helpline-contacts',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Survivors of online abuse supported by the helpline',
          unit: 'people',
          ...count(r, s, 2_000, 60_000),
        }),
        headline: (_t, scope) => `A digital safety helpline for women ${scope.inPlace}`,
      },
      {
        id: 'partners',
        decimals: 0,
        make: (r) => ({
          indicator: 'Organisations actively participating in the partnership',
          unit: 'organisations',
          baseline: r.int(3, 10),
          targetValue: r.int(25, 80),
        }),
        headline: (_t, scope, year) =>
          `A multi-stakeholder partnership on the digital gender divide ${scope.inPlace} by ${year}`,
      },
      {
        id: 'co-funding',
        decimals: 1,
        make: (r) => ({
          indicator: 'Co-funding mobilised from partners for gender-digital programmes',
          unit: 'USD million',
          baseline: 0,
          targetValue: r.int(5, 50),
        }),
        headline: (t, scope, year) =>
          `USD ${t.targetValue} million for closing the digital gender gap ${scope.inPlace} by ${year}`,
      },
      {
        id: 'content-creators',
        decimals: 0,
        make: (r, s) => ({
          indicator: 'Women journalists and community media producers trained in digital rights',
          unit: 'people',
          ...count(r, s, 300, 12_000),
        }),
        headline: (_t, scope, year) =>
          `Women's voices in digital and community media ${scope.inPlace} by ${year}`,
      },
      {
        id: 'community-radio',
        decimals: 0,
        make: (r) => ({
          indicator: 'Community radio and podcast stations led by women',
          unit: 'stations',
          baseline: r.int(2, 15),
          targetValue: r.int(30, 120),
        }),
        headline: (t, scope, year) =>
          `${t.targetValue} women-led community radio and podcast stations ${scope.inPlace} by ${year}`,
      },
      {
        id: 'studies',
        decimals: 0,
        make: (r) => ({
          indicator: 'Peer-reviewed studies using sex-disaggregated ICT data',
          unit: 'studies',
          baseline: r.int(0, 4),
          targetValue: r.int(12, 40),
        }),
        headline: (_t, scope, year) =>
          `Research evidence on the digital gender divide ${scope.inPlace} by ${year}`,
      },
      {
        id: 'women-phd',
        decimals: 1,
        make: (r) => ({
          indicator: 'Women among ICT doctoral candidates',
          unit: '% of doctoral candidates',
          ...share(r, 15, 32, 10, 18),
        }),
        headline: (_t, _scope, year) => `More women in ICT doctoral research by ${year}`,
      },
    ] satisfies IndicatorKind[]
  ).map((kind) => [kind.id, kind]),
);

interface Theme {
  wsis: string[];
  caucus: string[];
  indicators: string[];
  titles: ((scope: Scope, year: number) => string)[];
  openings: ((org: string, scope: Scope) => string)[];
  methods: string[];
}

const THEMES: Readonly<Record<ThemeKey, Theme>> = {
  access: {
    wsis: ['access', 'policies'],
    caucus: ['ict-for-peace-equality-development', 'capacity-building'],
    indicators: [
      'women-online',
      'internet-gap',
      'mobile-gap',
      'smartphone-gap',
      'rural-women-online',
      'public-access-points',
      'handset-financing',
      'mobile-money-gap',
    ],
    titles: [
      (s, y) => `Connected Women: affordable devices and data for women ${s.inPlace} by ${y}`,
      (s) => `Last-mile connectivity for rural women and girls ${s.inPlace}`,
      (s, y) => `Meaningful connectivity for women ${s.inPlace}, ${y} plan`,
    ],
    openings: [
      (o, s) => `${o} commits to closing the gender gap in access to mobile internet ${s.inPlace}.`,
      (o, s) => `${o} will remove the cost and safety barriers that keep women ${s.inPlace} offline.`,
    ],
    methods: [
      'Entry-level smartphones are offered on instalments with no deposit, bundled with a women-focused data plan.',
      'Coverage is extended to under-served rural areas, with sites chosen using sex-disaggregated census data.',
      'Community access points are staffed by trained women digital ambassadors and open after working hours.',
      'Tariffs are reviewed each year against the affordability threshold of 2% of monthly income.',
    ],
  },
  skills: {
    wsis: ['capacities'],
    caucus: ['capacity-building'],
    indicators: ['women-trained', 'girls-coding', 'teachers-trained', 'women-online'],
    titles: [
      (s, y) => `Digital skills for women and girls ${s.inPlace}, ${y}`,
      (s) => `Gender-responsive ICT curriculum ${s.inPlace}`,
      (s, y) => `Digital Skills Academy for Women and Girls: ${s.place}, ${y}`,
    ],
    openings: [
      (o, s) => `${o} will build the digital capacities of women and girls ${s.inPlace}.`,
      (o, s) => `${o} commits to targeted digital skills programmes for women and girls ${s.inPlace}.`,
    ],
    methods: [
      'Courses run in local languages at community centres and online, with childcare during sessions.',
      'The national curriculum is updated so every secondary school offers ICT classes taught by trained teachers.',
      'Graduates are certified and linked to internships with partner employers.',
      'Mentors from the technology sector run weekly coding clubs for girls aged 10 to 18.',
    ],
  },
  leadership: {
    wsis: ['leadership'],
    caucus: ['governance-reform', 'entrepreneurship-employment'],
    indicators: ['leadership-share', 'women-engineers', 'pay-gap', 'board-share'],
    titles: [
      (_s, y) => `Women in technology leadership: parity pathway to ${y}`,
      (s) => `Promoting women into decision-making in the technology sector ${s.inPlace}`,
      (_s, y) => `Equal pay and promotion in tech, ${y} commitment`,
    ],
    openings: [
      (o) => `${o} commits to promoting women into technical and decision-making roles.`,
      (o, s) =>
        `${o} will change its internal policies so that women ${s.inPlace} are recruited and promoted on equal terms.`,
    ],
    methods: [
      'Shortlists for senior roles must include at least two women; promotion panels are gender-balanced.',
      'An annual pay audit is published, and gaps found are closed in the next pay round.',
      'A sponsorship programme pairs high-potential women engineers with executives.',
      'Return-to-work programmes and flexible working are offered to all technical staff.',
    ],
  },
  policy: {
    wsis: ['policies', 'access'],
    caucus: ['governance-reform'],
    indicators: ['sex-disaggregated-data', 'usf-gender-share', 'board-share', 'internet-gap'],
    titles: [
      (s, y) => `Gender-responsive national digital strategy ${s.inPlace} (${y})`,
      (s) => `Gender equality in ICT policy, planning and funding ${s.inPlace}`,
      (s) => `Sex-disaggregated ICT data for better policy ${s.inPlace}`,
    ],
    openings: [
      (o, s) =>
        `${o} will integrate a gender equality perspective into digital policy, planning and funding ${s.inPlace}.`,
      (o, s) => `${o} commits to gender-responsive ICT strategies and budgets ${s.inPlace}.`,
    ],
    methods: [
      'Every new digital policy undergoes a gender impact assessment before adoption.',
      'The statistics office adds sex-disaggregated questions to the annual household ICT survey.',
      'A share of the universal service fund is ring-fenced for projects reaching women and girls.',
      "Women's organisations get a standing seat in the ICT policy consultation process.",
    ],
  },
  entrepreneurship: {
    wsis: ['leadership', 'capacities'],
    caucus: ['entrepreneurship-employment'],
    indicators: ['women-entrepreneurs', 'women-online-sellers', 'mobile-money-gap', 'women-trained'],
    titles: [
      (s, y) => `Women-led digital enterprise ${s.inPlace}, ${y}`,
      (s) => `Access to markets and finance for women tech entrepreneurs ${s.inPlace}`,
      (s, y) => `Women Trade Online: ${s.place}, ${y}`,
    ],
    openings: [
      (o, s) =>
        `${o} commits to support women's entrepreneurship and employment in the digital economy ${s.inPlace}.`,
      (o, s) => `${o} will help women-owned businesses ${s.inPlace} reach digital and international markets.`,
    ],
    methods: [
      'A blended-finance window offers collateral-free loans to women-led start-ups.',
      'Women sellers get onboarding, digital payments and logistics support on partner e-commerce platforms.',
      'Incubators reserve at least half of their places for women founders.',
      'Public procurement gives extra points to bids from women-owned ICT firms.',
    ],
  },
  safety: {
    wsis: ['access', 'policies'],
    caucus: ['ict-for-peace-equality-development', 'right-to-communicate'],
    indicators: ['ogbv-resolved', 'feel-safe-online', 'helpline-contacts'],
    titles: [
      (s, y) => `Safe online spaces for women and girls ${s.inPlace}, ${y}`,
      (s) => `Accountable redress for technology-facilitated gender-based violence ${s.inPlace}`,
      (s) => `Digital safety helpline and grievance channel ${s.inPlace}`,
    ],
    openings: [
      (o, s) =>
        `${o} commits to prevent, mitigate and respond to cyber-related violence against women ${s.inPlace}.`,
      (o, s) => `${o} will provide safe and accountable channels for grievance redressal ${s.inPlace}.`,
    ],
    methods: [
      'A free, confidential helpline and chat service supports survivors and escalates cases to platforms.',
      'Police and prosecutors are trained on technology-facilitated abuse, with a 30-day resolution standard.',
      'Platform partners commit to a trusted-flagger channel with published response times.',
      'Digital safety modules are included in every skills course run by the partners.',
    ],
  },
  partnerships: {
    wsis: ['partnerships'],
    caucus: ['capacity-building', 'governance-reform'],
    indicators: ['partners', 'co-funding', 'women-trained', 'internet-gap'],
    titles: [
      (s, y) => `Multi-stakeholder partnership to close the digital gender gap ${s.inPlace}, ${y}`,
      (s) => `Joint action of governments, industry and civil society ${s.inPlace}`,
      (s, y) => `Digital Equality Compact: ${s.place}, ${y}`,
    ],
    openings: [
      (o, s) =>
        `${o} will convene governments, operators, civil society and the UN system ${s.inPlace} around shared targets.`,
      (o, s) =>
        `${o} commits to pursue joint measures with public, private and civil society partners ${s.inPlace}.`,
    ],
    methods: [
      'Partners sign a common results framework and report against it twice a year.',
      'A pooled fund co-finances projects proposed jointly by at least two stakeholder groups.',
      'An annual awards event recognises good practice, in the spirit of the Equals in Tech Awards.',
      'Southern researchers and Nordic counterparts co-design the monitoring of the partnership.',
    ],
  },
  communicate: {
    wsis: ['capacities', 'access'],
    caucus: ['right-to-communicate'],
    indicators: ['content-creators', 'community-radio', 'feel-safe-online'],
    titles: [
      (s) => `Women's right to communicate: community media ${s.inPlace}`,
      (s, y) => `Women's voices online and on air ${s.inPlace}, ${y}`,
    ],
    openings: [
      (o, s) =>
        `${o} commits to support women's right to communicate and their voices in digital media ${s.inPlace}.`,
      (o, s) =>
        `${o} will help women's human rights groups ${s.inPlace} produce and distribute their own content.`,
    ],
    methods: [
      'Grants and equipment go to women-led community radio stations and podcasts.',
      'Women journalists are trained in digital security and rights-based reporting.',
      'Local-language content by and for women is published under open licences.',
    ],
  },
  research: {
    wsis: ['policies', 'access'],
    caucus: ['capacity-building', 'governance-reform'],
    indicators: ['studies', 'women-phd', 'sex-disaggregated-data'],
    titles: [
      (s) => `Evidence on the digital gender divide ${s.inPlace}`,
      (s, y) => `Gender and ICT research programme, ${s.place}, ${y}`,
    ],
    openings: [
      (o, s) =>
        `${o} will study census and survey data from a gender perspective to identify barriers ${s.inPlace}.`,
      (o, s) =>
        `${o} commits to research that identifies strategies for bridging the gender divide ${s.inPlace}.`,
    ],
    methods: [
      'All datasets are published openly with sex-disaggregated breakdowns.',
      'Scholarships are reserved for women doctoral candidates in ICT and data science.',
      'Research partnerships pair Southern-based researchers with counterparts in the Nordic countries.',
    ],
  },
};

const ACCOUNTABILITY = [
  'Progress is reported every six months with sex-disaggregated data.',
  'An independent mid-term review will be published.',
  'Results are reported annually to the WSIS Forum.',
  'Baselines come from the most recent national household ICT survey.',
  'Civil society partners take part in monitoring.',
];

// Amounts in USD by actor type; converted to the commitment's currency.
const FUNDING: Readonly<Record<ActorType, { chance: number; min: number; max: number }>> = {
  government: { chance: 0.6, min: 1_000_000, max: 40_000_000 },
  'private-sector': { chance: 0.7, min: 500_000, max: 20_000_000 },
  'civil-society': { chance: 0.3, min: 20_000, max: 400_000 },
  'international-organisation': { chance: 0.75, min: 1_000_000, max: 25_000_000 },
  academia: { chance: 0.35, min: 50_000, max: 900_000 },
  'multi-stakeholder': { chance: 0.5, min: 500_000, max: 8_000_000 },
};

// How many people a programme of this actor type reaches, relative to a national government's.
const SCALE: Readonly<Record<ActorType, number>> = {
  government: 1,
  'private-sector': 0.7,
  'civil-society': 0.06,
  'international-organisation': 0.5,
  academia: 0.03,
  'multi-stakeholder': 0.3,
};

const DEADLINE_DAYS = ['03-31', '06-30', '09-30', '12-31'];
const DEADLINE_YEARS = [2026, 2027, 2027, 2028, 2028, 2029, 2030, 2030, 2030, 2031, 2032];

/** What kind of data an indicator is measured with; report wording (sources, corrections, verifier notes)
 *  follows it. */
type Evidence = 'survey' | 'staff' | 'programme';

function evidenceKind(unit: string): Evidence {
  if (/women aged|percentage points|internet users/.test(unit)) return 'survey';
  if (/senior roles|new hires|male pay|seats|doctoral/.test(unit)) return 'staff';
  return 'programme';
}

const SOURCES: Readonly<Record<Evidence, string[]>> = {
  survey: [
    'the national household ICT survey',
    "the regulator's quarterly statistics",
    'sex-disaggregated subscriber records',
  ],
  staff: ['the HR information system', 'the annual pay and promotion audit', 'published annual reports'],
  programme: [
    'the programme enrolment register',
    'partner reports compiled by the secretariat',
    'the independent mid-term evaluation',
    'programme monitoring data',
  ],
};

const CORRECTION_REASONS: Readonly<Record<Evidence, string[]>> = {
  survey: [
    'The statistics office revised the survey weights; the earlier figure over-counted urban respondents.',
    'Final survey results replace the provisional estimate.',
    'The earlier report used the wrong reference quarter.',
  ],
  staff: [
    'Contractors had been counted as staff; the figure now covers employees only.',
    'The earlier report used the wrong reference month.',
    'A data-entry error was found during the internal audit.',
  ],
  programme: [
    'Double-counted participants who enrolled in two courses were removed.',
    'A data-entry error in one district was found during the internal audit.',
    'Final figures replace the provisional estimate.',
  ],
};

const CONFIRMATIONS: Readonly<Record<Evidence, string[]>> = {
  survey: [
    'Figures match the published survey tables.',
    'Confirmed against the regulator statistics for the same period.',
  ],
  staff: [
    'Confirmed against the audited annual report.',
    'Evidence reviewed; the reported value is consistent with the source data.',
  ],
  programme: [
    'Site visit and sample of participant records are consistent with the report.',
    'Evidence reviewed; the reported value is consistent with the source data.',
  ],
};

const REPORT_DISPUTES: Readonly<Record<Evidence, string[]>> = {
  survey: [
    'The reported value conflicts with the national household survey for the same quarter.',
    'The evidence link does not show sex-disaggregated figures.',
  ],
  staff: [
    'The figure counts acting appointments as permanent senior roles.',
    'The evidence link does not show sex-disaggregated figures.',
  ],
  programme: [
    'Participants were counted at enrolment, not completion, contrary to the indicator definition.',
    'The evidence link does not show sex-disaggregated figures.',
  ],
};

const NO_EVIDENCE = 'No evidence was provided for this figure.';

const WATERING_DOWN_REASONS = [
  'Revenue shortfall after the spectrum auction was postponed.',
  'Donor co-financing was reduced by 40% in the latest budget cycle.',
  'Supply-chain delays for low-cost handsets pushed the roll-out back.',
  'Budget freeze during the election year.',
  'The mid-term review found the original target unrealistic given the lower baseline growth.',
  'Programme scope narrowed to pilot districts after the restructuring of the implementing agency.',
  'Currency depreciation cut the real value of the programme budget.',
];

const STRENGTHENING_REASONS = [
  'Early results are ahead of schedule, so the ambition is raised.',
  'New co-financing from private-sector partners allows a larger programme.',
  'Extended at the request of partners in neighbouring countries.',
  'The national digital strategy adopted this year sets a higher bar.',
];

const WITHDRAWAL_REASONS = [
  'Funding for the programme ended and no replacement donor was found.',
  'The programme was merged into a national pledge that covers the same targets.',
  'The operator sold its rural network business; the buyer has not taken over the commitment.',
  'The implementing partner organisation was dissolved.',
  'Government priorities changed after the cabinet reshuffle; the budget line was removed.',
  'Security conditions in the target districts make delivery impossible for now.',
];

const FULFILMENT_NOTES = [
  'All targets met; the final evaluation report is published on our website.',
  'Targets reached ahead of the deadline; the programme continues under regular budget.',
  'Completed as pledged; certified by the national statistics office.',
  'Final figures confirmed by the external evaluator.',
];

const PLEDGE_DISPUTES_WATERED = [
  'The amendment lowers the ambition without consultation with the partners named in the pledge.',
  'The deadline was moved after the original one had effectively been missed; the pledge should be reported as off track.',
  'The cut in funding is not matched by a proportional change in the targets; delivery is doubtful.',
];

const PLEDGE_DISPUTES_SILENT = [
  'No progress has been reported since the pledge was made; requests for information went unanswered.',
  'Despite public statements, we found no budget line or activity supporting this pledge.',
];

const PLEDGE_CONFIRMATIONS = [
  'The final evaluation was reviewed; the targets were met as pledged.',
  'Implementation confirmed through interviews with beneficiaries and partners.',
];

const WITHDRAWAL_VERIFICATIONS = [
  'The withdrawal is confirmed; part of the funds was spent and is reported in the final accounts.',
  'Withdrawn without accounting for the funds already disbursed; we dispute the reason given.',
];

// ---------------------------------------------------------------------------------------------------------
// The generator

interface PledgeDraft {
  pledge: DemoPledge;
  org: OrganisationSeed;
  theme: ThemeKey;
  /** Terms as amended so far while the follow-ups are planned. */
  current: PledgeTerms;
  /** Operations for this pledge, in order, bucketed by phase. */
  progress: DemoProgress[];
  corrections: DemoCorrection[];
  amendments: DemoAmendment[];
  reportVerifications: DemoVerification[];
  closure?: DemoFulfilment | DemoWithdrawal;
  pledgeVerifications: DemoVerification[];
  reports: number;
  ops: number;
}

const MS_PER_DAY = 86_400_000;

function joinNames(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function regionName(region: Region): string {
  return REGION_NAMES[region];
}

function scopeOf(terms: Pick<PledgeTerms, 'countries' | 'regions' | 'global'>): Scope {
  if (terms.global) return { place: 'worldwide', inPlace: 'worldwide' };
  if (terms.regions.length > 0) {
    const place = joinNames(terms.regions.map((region) => regionName(region as Region)));
    return { place, inPlace: `across ${place}` };
  }
  const place = joinNames(terms.countries.map((code) => COUNTRIES[code].name));
  return { place, inPlace: `in ${place}` };
}

/** A measured value as a report would print it: 3583 → "3,583", 14.5 stays. */
function shown(value: number): string {
  return Number.isInteger(value) && Math.abs(value) >= 1000 ? grouped(value) : String(value);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function buildDemoPlan(options: DemoPlanOptions = {}): DemoPlan {
  const seed = String(options.seed ?? DEFAULT_DEMO_SEED);
  const now = options.now ?? new Date();
  const tag = (options.tag ?? '').trim();
  const random = seededRandom(seed);
  const today = calendarDateOf(now);
  const daysAgo = (days: number): string => calendarDateOf(new Date(now.getTime() - days * MS_PER_DAY));
  const tagged = (name: string): string => (tag ? `${name} [${tag}]` : name);

  const organisations: DemoOrganisation[] = ORGANISATIONS.map((org) => ({
    key: `org-${org.key}`,
    name: tagged(org.name),
    type: org.type,
    country: org.country,
  }));
  const verifiers: DemoVerifier[] = VERIFIERS.map((verifier) => ({
    ...verifier,
    name: tagged(verifier.name),
  }));

  // --- pledges: three per organisation on average, 120 in all -------------------------------------------
  const TOTAL_PLEDGES = 120;
  const perOrg = ORGANISATIONS.map(() => 3);
  const order = random.shuffle(ORGANISATIONS.map((_, index) => index));
  // Take one from some organisations and give one to others, so sizes vary while the total comes out right.
  const fewer = 12;
  const more = fewer - (perOrg.length * 3 - TOTAL_PLEDGES);
  order.slice(0, fewer).forEach((index) => (perOrg[index] -= 1));
  order.slice(fewer, fewer + more).forEach((index) => (perOrg[index] += 1));

  const drafts: PledgeDraft[] = [];
  const kindOf = new Map<string, IndicatorKind>();
  ORGANISATIONS.forEach((org, orgIndex) => {
    const themes = random.shuffle(org.themes);
    for (let n = 0; n < perOrg[orgIndex]; n++) {
      const key = `p${String(drafts.length + 1).padStart(3, '0')}`;
      const theme = themes[n % themes.length];
      const terms = makeTerms(random, org, THEMES[theme]);
      terms.targets.forEach((target) => kindOf.set(`${key}/${target.id}`, INDICATORS[target.id]));
      drafts.push({
        pledge: { key, organisation: `org-${org.key}`, terms },
        org,
        theme,
        current: terms,
        progress: [],
        corrections: [],
        amendments: [],
        reportVerifications: [],
        pledgeVerifications: [],
        reports: 0,
        ops: 0,
      });
    }
  });

  // --- roles ------------------------------------------------------------------------------------------------
  const shuffled = random.shuffle(drafts);
  const silent = shuffled.slice(0, 26); // no progress at all: lapsed once 180 days pass without a report
  const reporting = shuffled.slice(26);
  const fulfilled = reporting.slice(0, 8);
  const wateredDown = [...reporting.slice(8, 13), ...silent.slice(0, 2)]; // 7 pledges, the first twice
  const strengthened = reporting.slice(13, 17);
  const withdrawn = [wateredDown[1], wateredDown[5], reporting[17], reporting[18], silent[2], silent[3]];

  const nextStep = (draft: PledgeDraft, label: string): string =>
    `${draft.pledge.key}-${String(++draft.ops).padStart(2, '0')}-${label}`;

  // --- progress ----------------------------------------------------------------------------------------------
  for (const draft of reporting) {
    const isFulfilled = fulfilled.includes(draft);
    const targets = draft.current.targets;
    const reported = isFulfilled || random.chance(0.6) ? targets : random.shuffle(targets).slice(0, 1);
    const entries: { target: Target; value: number; asOf: string; day: number }[] = [];
    for (const target of reported) {
      const kind = kindOf.get(`${draft.pledge.key}/${target.id}`)!;
      const reports = isFulfilled ? 2 : random.chance(0.45) ? 1 : random.chance(0.75) ? 2 : 3;
      const firstDay = random.int(300, 620);
      const lastDay = isFulfilled ? random.int(5, 40) : random.int(20, 150);
      const pace = random.between(0.15, 0.85);
      for (let j = 0; j < reports; j++) {
        const day =
          reports === 1 ? lastDay : Math.round(firstDay - ((firstDay - lastDay) * j) / (reports - 1));
        let fraction = pace * ((j + 1) / reports) + random.between(-0.05, 0.05);
        if (random.chance(0.08)) fraction = -random.between(0.02, 0.1); // the indicator moved the wrong way
        if (isFulfilled && j === reports - 1)
          fraction = 1 + (random.chance(0.5) ? random.between(0, 0.1) : 0);
        let value = round(target.baseline + fraction * (target.targetValue - target.baseline), kind.decimals);
        if (target.unit.startsWith('%')) value = Math.min(100, value);
        value = Math.max(0, value);
        entries.push({ target, value, asOf: daysAgo(day), day });
      }
    }
    entries.sort((a, b) => b.day - a.day || a.target.id.localeCompare(b.target.id));
    for (const entry of entries) {
      const source = random.pick(SOURCES[evidenceKind(entry.target.unit)]);
      const report = `${draft.pledge.key}/r${++draft.reports}`;
      draft.progress.push({
        kind: 'progress',
        step: nextStep(draft, 'progress'),
        pledge: draft.pledge.key,
        report,
        targetId: entry.target.id,
        value: entry.value,
        asOf: entry.asOf,
        narrative: `${capitalise(entry.target.indicator)}: ${shown(entry.value)} ${entry.target.unit} as of ${entry.asOf}, from ${source}.`,
        evidence: random.chance(0.8)
          ? [`https://evidence.example.org/${draft.pledge.key}/${entry.target.id}/${entry.asOf}.pdf`]
          : [],
      });
    }
  }

  // --- corrections: 8 reports, each corrected once --------------------------------------------------------
  const correctable = random.shuffle(reporting.filter((draft) => !fulfilled.includes(draft))).slice(0, 8);
  for (const draft of correctable) {
    const original = random.pick(draft.progress);
    const kind = kindOf.get(`${draft.pledge.key}/${original.targetId}`)!;
    const target = draft.current.targets.find((t) => t.id === original.targetId)!;
    const delta = (target.targetValue - target.baseline) * random.between(0.03, 0.12);
    let value = round(original.value + (random.chance(0.7) ? -delta : delta), kind.decimals);
    if (value === original.value)
      value = round(original.value + (kind.decimals === 0 ? 1 : 0.1), kind.decimals);
    value = Math.max(0, value);
    const reason = random.pick(CORRECTION_REASONS[evidenceKind(target.unit)]);
    draft.corrections.push({
      kind: 'correction',
      step: nextStep(draft, 'correction'),
      pledge: draft.pledge.key,
      report: `${draft.pledge.key}/r${++draft.reports}`,
      corrects: original.report,
      value,
      asOf: original.asOf,
      narrative: `Corrected figure: ${shown(value)} ${target.unit} as of ${original.asOf}.`,
      evidence: [
        `https://evidence.example.org/${draft.pledge.key}/${original.targetId}/${original.asOf}-revised.pdf`,
      ],
      reason,
    });
  }

  // --- amendments: 8 watering-downs on 7 pledges, 4 strengthenings --------------------------------------
  const wateringKinds: WateringKind[] = ['lower-target', 'postpone', 'cut-money', 'lower-and-postpone'];
  wateredDown.forEach((draft, index) => {
    const times = index === 0 ? 2 : 1;
    for (let n = 0; n < times; n++) {
      const preferred = n === 0 ? wateringKinds[index % wateringKinds.length] : 'postpone';
      const changes = waterDown(random, draft, preferred, kindOf);
      draft.amendments.push({
        kind: 'amendment',
        step: nextStep(draft, 'amendment'),
        pledge: draft.pledge.key,
        reason: random.pick(WATERING_DOWN_REASONS),
        changes,
        wateringDown: true,
      });
      draft.current = applyTermsChanges(draft.current, changes);
    }
  });
  strengthened.forEach((draft, index) => {
    const changes = strengthen(random, draft, index, kindOf);
    draft.amendments.push({
      kind: 'amendment',
      step: nextStep(draft, 'amendment'),
      pledge: draft.pledge.key,
      reason: STRENGTHENING_REASONS[index % STRENGTHENING_REASONS.length],
      changes,
      wateringDown: false,
    });
    draft.current = applyTermsChanges(draft.current, changes);
  });

  // --- verifications of reports: 15, on current (not superseded) reports -----------------------------------
  const verifierKeys = VERIFIERS.map((v) => v.key);
  const currentReports = (draft: PledgeDraft) => {
    const superseded = new Set(draft.corrections.map((c) => c.corrects));
    const targetOf = new Map(draft.progress.map((r) => [r.report, r.targetId]));
    return [...draft.progress, ...draft.corrections]
      .filter((r) => !superseded.has(r.report))
      .map((r) => {
        const targetId = r.kind === 'progress' ? r.targetId : targetOf.get(r.corrects)!;
        const unit = draft.current.targets.find((t) => t.id === targetId)!.unit;
        return { report: r.report, hasEvidence: r.evidence.length > 0, evidence: evidenceKind(unit) };
      });
  };
  const verifiedReporting = random.shuffle(reporting).slice(0, 15);
  verifiedReporting.forEach((draft, index) => {
    const candidate = random.pick(currentReports(draft));
    const disputed = !candidate.hasEvidence || random.chance(0.25);
    draft.reportVerifications.push({
      kind: 'verification',
      step: nextStep(draft, 'verification'),
      pledge: draft.pledge.key,
      verifier: verifierKeys[index % verifierKeys.length],
      outcome: disputed ? 'disputed' : 'confirmed',
      note: disputed
        ? candidate.hasEvidence
          ? random.pick(REPORT_DISPUTES[candidate.evidence])
          : NO_EVIDENCE
        : random.pick(CONFIRMATIONS[candidate.evidence]),
      report: candidate.report,
    });
  });

  // --- closures: 8 fulfilments, 6 withdrawals --------------------------------------------------------------
  for (const draft of fulfilled) {
    draft.closure = {
      kind: 'fulfilment',
      step: nextStep(draft, 'fulfilment'),
      pledge: draft.pledge.key,
      note: random.pick(FULFILMENT_NOTES),
    };
  }
  withdrawn.forEach((draft, index) => {
    draft.closure = {
      kind: 'withdrawal',
      step: nextStep(draft, 'withdrawal'),
      pledge: draft.pledge.key,
      reason: WITHDRAWAL_REASONS[index % WITHDRAWAL_REASONS.length],
    };
  });

  // --- verifications of pledges as a whole: 10 -------------------------------------------------------------
  const pledgeVerification = (
    draft: PledgeDraft,
    outcome: 'confirmed' | 'disputed',
    note: string,
    verifier: string,
  ): void => {
    draft.pledgeVerifications.push({
      kind: 'verification',
      step: nextStep(draft, 'verification'),
      pledge: draft.pledge.key,
      verifier,
      outcome,
      note,
    });
  };
  fulfilled.slice(0, 4).forEach((draft, index) => {
    pledgeVerification(draft, 'confirmed', PLEDGE_CONFIRMATIONS[index % 2], verifierKeys[(index + 1) % 4]);
  });
  wateredDown.slice(0, 3).forEach((draft, index) => {
    pledgeVerification(draft, 'disputed', PLEDGE_DISPUTES_WATERED[index], 'ver-caucus');
  });
  silent.slice(4, 6).forEach((draft, index) => {
    pledgeVerification(draft, 'disputed', PLEDGE_DISPUTES_SILENT[index], 'ver-watch');
  });
  pledgeVerification(withdrawn[2], 'disputed', WITHDRAWAL_VERIFICATIONS[1], 'ver-observatory');

  // --- one sensible global order: by phase, then pledge order --------------------------------------------
  const operations: DemoOperation[] = [
    ...drafts
      .flatMap((draft) => draft.progress)
      .sort((a, b) => a.asOf.localeCompare(b.asOf) || a.step.localeCompare(b.step)),
    ...drafts.flatMap((draft) => draft.corrections),
    ...drafts.flatMap((draft) => draft.amendments),
    ...drafts.flatMap((draft) => draft.reportVerifications),
    ...drafts.flatMap((draft) => (draft.closure ? [draft.closure] : [])),
    ...drafts.flatMap((draft) => draft.pledgeVerifications),
  ];
  // Never ahead of the day the plan is made for: the ledger refuses as-of dates in the future.
  for (const op of operations) {
    if ((op.kind === 'progress' || op.kind === 'correction') && op.asOf > today) {
      throw new Error(`demo plan bug: ${op.step} is as of ${op.asOf}, after ${today}`);
    }
  }

  return {
    seed,
    now: now.toISOString(),
    tag,
    organisations,
    verifiers,
    pledges: drafts.map((draft) => draft.pledge),
    operations,
  };
}

function makeTerms(random: Random, org: OrganisationSeed, theme: Theme): PledgeTerms {
  // Where
  let countries: string[] = [];
  let regions: string[] = [];
  let global = false;
  const roll = random.next();
  if (org.global && roll < 0.3) {
    global = true;
  } else if (org.regions && roll < 0.65) {
    regions = random.shuffle(org.regions).slice(0, random.chance(0.25) ? 2 : 1);
  } else {
    const focus = org.focus ?? [org.country];
    countries = random.shuffle(focus).slice(0, random.int(1, Math.min(3, focus.length)));
  }
  const scope = scopeOf({ countries, regions, global });

  // What: targets
  const year = random.pick(DEADLINE_YEARS);
  const howMany = random.chance(0.3) ? 1 : random.chance(0.65) ? 2 : 3;
  const kinds = random.shuffle(theme.indicators).slice(0, howMany);
  const scale = SCALE[org.type] * (countries.length > 1 || regions.length > 0 || global ? 1.5 : 1);
  const targets: Target[] = kinds.map((id, index) => {
    const draft = INDICATORS[id].make(random, scale, scope);
    const targetYear = index === 0 ? year : Math.min(2032, Math.max(2026, year + random.int(-1, 1)));
    return { id, ...draft, deadline: `${targetYear}-${random.pick(DEADLINE_DAYS)}` };
  });

  // Actions: both frameworks, one of them, or the other
  const mode = random.next();
  const fromWsis = random.shuffle(theme.wsis).slice(0, random.int(1, theme.wsis.length));
  const fromCaucus = random.shuffle(theme.caucus).slice(0, random.int(1, theme.caucus.length));
  const actions: ActionRef[] = [
    ...(mode < 0.75 ? fromWsis.map((action) => ({ framework: 'wsis10-gender-gap', action })) : []),
    ...(mode >= 0.4 ? fromCaucus.map((action) => ({ framework: 'gender-caucus', action })) : []),
  ];

  // Title and description
  const first = INDICATORS[kinds[0]];
  const title = random.chance(0.5)
    ? first.headline(targets[0], scope, year)
    : random.pick(theme.titles)(scope, year);
  const methods = random.shuffle(theme.methods).slice(0, 2);
  const description = [
    random.pick(theme.openings)(org.name, scope),
    ...methods,
    random.pick(ACCOUNTABILITY),
  ].join(' ');

  const terms: PledgeTerms = { title, description, countries, regions, global, actions, targets };
  const funding = FUNDING[org.type];
  if (random.chance(funding.chance)) {
    const usd = random.between(funding.min, funding.max);
    const local = org.currency ?? COUNTRIES[org.country].currency;
    const currency = random.chance(0.25)
      ? org.country === 'FI' || org.country === 'CH'
        ? 'EUR'
        : 'USD'
      : local;
    const rate =
      COUNTRIES[org.country].currency === currency ? COUNTRIES[org.country].perUsd : PER_USD[currency];
    terms.financialCommitment = { amount: nice(usd * rate), currency };
  }
  return terms;
}

type WateringKind = 'lower-target' | 'postpone' | 'cut-money' | 'lower-and-postpone';

function laterDeadline(deadline: string, years: number): string {
  const year = Number(deadline.slice(0, 4)) + years;
  return `${year}${deadline.slice(4)}`;
}

/** A target value the same direction from the baseline but less ambitious. */
function lowered(target: Target, kind: IndicatorKind, keep: number): number {
  const exact = target.baseline + (target.targetValue - target.baseline) * keep;
  // Counts are pledged in round numbers (18,000 rather than 18,617).
  const candidate = kind.decimals === 0 && Math.abs(exact) >= 100 ? nice(exact) : round(exact, kind.decimals);
  const step = kind.decimals === 0 ? 1 : 0.1;
  const towardBaseline = Math.sign(target.baseline - target.targetValue) * step;
  // Rounding must not erase the cut nor reach the baseline.
  if (candidate === target.targetValue) return round(target.targetValue + towardBaseline, kind.decimals);
  if (candidate === target.baseline) return round(target.baseline - towardBaseline, kind.decimals);
  return candidate;
}

function waterDown(
  random: Random,
  draft: PledgeDraft,
  preferred: WateringKind,
  kindOf: Map<string, IndicatorKind>,
): PledgeTermsChanges {
  const terms = draft.current;
  const wateringKind: WateringKind =
    preferred === 'cut-money' && !terms.financialCommitment ? 'lower-target' : preferred;
  const pick = random.int(0, terms.targets.length - 1);
  const kindFor = (target: Target) => kindOf.get(`${draft.pledge.key}/${target.id}`)!;
  switch (wateringKind) {
    case 'cut-money': {
      const money = terms.financialCommitment as Money;
      return random.chance(0.3)
        ? { financialCommitment: null }
        : {
            financialCommitment: {
              amount: nice(money.amount * random.between(0.4, 0.7)),
              currency: money.currency,
            },
          };
    }
    case 'postpone':
      return {
        targets: terms.targets.map((target) => ({
          ...target,
          deadline: laterDeadline(target.deadline, random.int(1, 2)),
        })),
      };
    case 'lower-target':
    case 'lower-and-postpone':
      return {
        targets: terms.targets.map((target, index) =>
          index !== pick
            ? target
            : {
                ...target,
                targetValue: lowered(target, kindFor(target), random.between(0.45, 0.7)),
                deadline:
                  wateringKind === 'lower-and-postpone' ? laterDeadline(target.deadline, 2) : target.deadline,
              },
        ),
      };
  }
}

function strengthen(
  random: Random,
  draft: PledgeDraft,
  index: number,
  kindOf: Map<string, IndicatorKind>,
): PledgeTermsChanges {
  const terms = draft.current;
  const variant = index % 4;
  const money = terms.financialCommitment;
  if (variant === 2 && money) {
    return {
      financialCommitment: {
        amount: nice(money.amount * random.between(1.3, 1.8)),
        currency: money.currency,
      },
    };
  }
  // Add a target of the same theme the pledge does not have yet.
  const addTarget = (): Target | undefined => {
    const have = new Set(terms.targets.map((t) => t.id));
    const id = THEMES[draft.theme].indicators.find((candidate) => !have.has(candidate));
    if (!id) return undefined;
    const kind = INDICATORS[id];
    kindOf.set(`${draft.pledge.key}/${id}`, kind);
    return {
      id,
      ...kind.make(random, SCALE[draft.org.type], scopeOf(terms)),
      deadline: terms.targets[0].deadline,
    };
  };
  if (variant === 1) {
    const added = addTarget();
    if (added) return { targets: [...terms.targets, added] };
  }
  // Raise every target's ambition by a quarter of its distance (a gap cut further, never below zero).
  const raised = terms.targets.map((target) => {
    const kind = kindOf.get(`${draft.pledge.key}/${target.id}`)!;
    let value = round(target.targetValue + (target.targetValue - target.baseline) * 0.25, kind.decimals);
    if (target.targetValue < target.baseline) value = Math.max(0, value);
    else if (target.unit.startsWith('%')) value = Math.min(100, value);
    return value === target.targetValue ? target : { ...target, targetValue: value };
  });
  if (raised.some((target, i) => target !== terms.targets[i])) return { targets: raised };
  const added = addTarget();
  if (added) return { targets: [...terms.targets, added] };
  // Nothing left to raise or add: deliver a year earlier.
  return {
    targets: terms.targets.map((target) => ({ ...target, deadline: laterDeadline(target.deadline, -1) })),
  };
}

/** For tests and the loader's log: what watering-down the domain would find in an amendment. */
export function wateringDownOf(before: PledgeTerms, changes: PledgeTermsChanges) {
  return findWateringDown(before, applyTermsChanges(before, changes));
}
