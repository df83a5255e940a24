// The demo data set: a pure, deterministic plan of what a newcomer's ledger should hold (organisations,
// verifiers, pledges over both built-in action frameworks, and the follow-ups that make the reports speak:
// progress, corrections, amendments incl. watering-down, withdrawals, fulfilments, verifications), as a
// realistic history: pledges made from 2015 (the WSIS+10 review year) through last year, progress reported
// half-yearly or yearly some weeks after each as-of date, amendments years after submission, some pledges
// gone silent (lapsed), some targets past their deadline and not reached (overdue).
// Everything here is fictional: organisation names are plausible but invented (no real private persons),
// evidence links point at the reserved example.org domain. Same seed + same `now` + same tag → same plan.
// The plan names things symbolically (organisation, verifier and pledge keys; report ids within a pledge);
// demo-import.ts turns it into the rows of an import file (docs/import-template.md), load-demo.ts loads it.
import {
  applyTermsChanges,
  calendarDateOf,
  daysBetween,
  findWateringDown,
  isReductionTarget,
  REGION_NAMES,
  type ActionRef,
  type ActorType,
  type Money,
  type PledgeTerms,
  type PledgeTermsChanges,
  type Region,
  type Target,
  type WateringDownKind,
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
  /** Symbolic key, e.g. "p017"; the import's reference of the pledge is derived from it. */
  key: string;
  /** Key of the organisation that made it. */
  organisation: string;
  /** YYYY-MM-DD: the day the pledge was made (the effective time of its submission). */
  submittedOn: string;
  /** Who wrote the pledge's records in the (fictional) source registry: an office, never a person. */
  author: string;
  terms: PledgeTerms;
}

interface OperationBase {
  /** Key of the pledge the operation applies to. */
  pledge: string;
  /** YYYY-MM-DD: when it happened (its effective time). Never before the pledge's previous operation. */
  occurredAt: string;
}

export interface DemoProgress extends OperationBase {
  kind: 'progress';
  /** Id of the report this creates, unique within its pledge, e.g. "r-2019-06-30-women-trained". */
  report: string;
  targetId: string;
  value: number;
  /** Some weeks before `occurredAt` (the day the report was sent). */
  asOf: string;
  narrative: string;
  evidence: string[];
}

export interface DemoCorrection extends OperationBase {
  kind: 'correction';
  /** Id of the correcting report this creates, unique within its pledge. */
  report: string;
  /** Id of the report it corrects (of the same pledge). */
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
  /** Unique within its pledge, e.g. "v-2021-03-15-1". */
  verificationId: string;
  /** Key of the verifier recording it. */
  verifier: string;
  outcome: 'confirmed' | 'disputed';
  note: string;
  /** Id of the verified progress report; absent for the pledge as a whole. */
  report?: string;
}

export type DemoOperation =
  DemoProgress | DemoCorrection | DemoAmendment | DemoFulfilment | DemoWithdrawal | DemoVerification;

export interface DemoPlan {
  seed: string;
  /** The instant the plan was made for (ISO 8601); nothing in it happens after the UTC day before it. */
  now: string;
  tag: string;
  organisations: DemoOrganisation[];
  verifiers: DemoVerifier[];
  /** In key order; submitted from 2015 through the year before `now`. */
  pledges: DemoPledge[];
  /** The follow-ups, oldest first (ties: pledge key); each pledge's operations are in the order they happened. */
  operations: DemoOperation[];
}

export interface DemoPlanOptions {
  /** Any string or number; the default gives the standard demo set. */
  seed?: string | number;
  /** The history ends the day before this instant. Default: the current time. */
  now?: Date;
  /** Appended to every organisation and verifier name ("… [tag]") so a second set can go into one database. */
  tag?: string;
}

export const DEFAULT_DEMO_SEED = 'wsis10-gender-gap-demo';

/** The WSIS+10 review year: the demo history starts here. */
export const DEMO_FIRST_YEAR = 2015;

/** Deadlines of the demo's targets fall in these years (some long passed, some years ahead). */
export const DEMO_DEADLINE_YEARS = { first: 2018, last: 2032 } as const;

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

const WATERING_DOWN_IN_LOCKDOWN =
  'Programme activities were suspended during the COVID-19 lockdowns; the delivery schedule is revised.';

/** Who keeps a pledge's records in the source registry, by actor type: offices, never persons. */
const AUTHORS: Readonly<Record<ActorType, string[]>> = {
  government: [
    'ICT focal point',
    'Gender focal point',
    'Monitoring and evaluation unit',
    'Directorate of planning',
  ],
  'private-sector': ['Sustainability office', 'Corporate affairs', 'Diversity and inclusion office'],
  'civil-society': ['Programme team', 'Secretariat', 'Monitoring and learning desk'],
  'international-organisation': ['Programme management unit', 'Results-based management office'],
  academia: ['Research office', 'Project coordination office'],
  'multi-stakeholder': ['Secretariat', 'Steering committee'],
};

// ---------------------------------------------------------------------------------------------------------
// Dates: calendar days as 'YYYY-MM-DD' (UTC), which order as strings the way the days do

const MS_PER_DAY = 86_400_000;
const QUARTER_ENDS = ['03-31', '06-30', '09-30', '12-31'];

function addDays(day: string, days: number): string {
  return calendarDateOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY));
}

const earlier = (a: string, b: string): string => (a < b ? a : b);
const later = (a: string, b: string): string => (a > b ? a : b);
/** `day`, but not before `from` and never after `until` (`until` wins when the two cross). */
const within = (day: string, from: string, until: string): string => earlier(later(day, from), until);
const yearOf = (day: string): number => Number(day.slice(0, 4));

/** Quarters are numbered year × 4 + 0..3; this is the last day of one. */
function quarterEnd(quarter: number): string {
  return `${Math.floor(quarter / 4)}-${QUARTER_ENDS[quarter % 4]}`;
}

/** The last quarter that ends on or before `day`. */
function quarterEndingBy(day: string): number {
  const year = yearOf(day);
  for (let quarter = year * 4 + 3; quarter >= year * 4; quarter--)
    if (quarterEnd(quarter) <= day) return quarter;
  return year * 4 - 1;
}

/** The first quarter that ends on or after `day`. */
function quarterEndingFrom(day: string): number {
  const quarter = quarterEndingBy(day);
  return quarterEnd(quarter) === day ? quarter : quarter + 1;
}

/** Relative weight of each year in the number of pledges made: the WSIS+10 review year stands out. */
function yearWeight(year: number): number {
  if (year === DEMO_FIRST_YEAR) return 3;
  if (year === DEMO_FIRST_YEAR + 1) return 1.6;
  if (year === 2020) return 0.7; // the pandemic year: fewer new pledges
  return 1;
}

/** `total` split over the years in proportion to their weights (largest remainders), oldest first. */
function pledgesPerYear(firstYear: number, lastYear: number, total: number): number[] {
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  const weights = years.map(yearWeight);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  const missing = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < missing; i++) counts[byRemainder[i].index]++;
  return years.flatMap((year, index) => Array.from({ length: counts[index] }, () => year));
}

function submissionDay(random: Random, year: number, lastDay: string): string {
  let day: string;
  if (year === DEMO_FIRST_YEAR && random.chance(0.45)) {
    day = `${year}-05-${25 + random.int(0, 4)}`; // at the WSIS Forum 2015 (Geneva, 25-29 May)
  } else if (year === DEMO_FIRST_YEAR && random.chance(0.5)) {
    day = `${year}-12-${random.pick(['15', '16'])}`; // at the UN General Assembly's WSIS+10 high-level meeting
  } else {
    day = addDays(`${year}-01-01`, random.int(0, 364));
  }
  return earlier(day, lastDay);
}

// ---------------------------------------------------------------------------------------------------------
// The generator

/** How a pledge's reporting goes over the years. */
type Reporting =
  | 'until-now' // reports to this day: active, not lapsed
  | 'stopped' // reported for a while, then went silent years ago: lapsed
  | 'until-fulfilled' // reported until every target was reached, then declared fulfilled
  | 'until-withdrawn' // reported for a while, then withdrew
  | 'none'; // never reported: lapsed (unless withdrawn, or made less than 180 days ago)

type WateringKind = 'lower-target' | 'postpone' | 'cut-money' | 'lower-and-postpone';

/** An amendment to write on a given day; what it changes is decided on the terms as they stand then. */
interface PlannedAmendment {
  on: string;
  wateringDown?: WateringKind;
  /** Which way of strengthening (see `strengthen`). */
  strengthening?: number;
}

/** How one target's indicator moves: from the baseline towards `goal` at `pace` (1: on the straight line). */
interface TargetTrack {
  baseline: number;
  goal: number;
  since: string;
  deadline: string;
  pace: number;
  decimals: 0 | 1;
}

interface PledgeDraft {
  pledge: DemoPledge;
  org: OrganisationSeed;
  theme: ThemeKey;
  reporting: Reporting;
  /** Set when the pledge is withdrawn: the reason given. */
  withdrawal?: string;
  amendments: PlannedAmendment[];
  /** Terms as amended so far while the history is written. */
  current: PledgeTerms;
  tracks: Map<string, TargetTrack>;
  /** The pledge's operations, in the order written (sorted by day at the end). */
  ops: DemoOperation[];
  closedOn?: string;
  /** What the ledger finds watered down in the pledge's first watering-down amendment. */
  firstWatering?: Set<WateringDownKind>;
  verifications: number;
}

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

/** Same-day operations of one pledge: terms first, then reports, corrections, verifications, the closure. */
const SAME_DAY_ORDER: Readonly<Record<DemoOperation['kind'], number>> = {
  amendment: 0,
  progress: 1,
  correction: 2,
  verification: 3,
  fulfilment: 4,
  withdrawal: 4,
};

export function buildDemoPlan(options: DemoPlanOptions = {}): DemoPlan {
  const seed = String(options.seed ?? DEFAULT_DEMO_SEED);
  const now = options.now ?? new Date();
  const tag = (options.tag ?? '').trim();
  const random = seededRandom(seed);
  const today = calendarDateOf(now);
  // The history ends yesterday (UTC), so no day of it is in the future for a server whose clock is a little
  // behind ours.
  const lastDay = addDays(today, -1);
  const lastYear = yearOf(today) - 1;
  if (lastYear < DEMO_FIRST_YEAR + 4) {
    throw new Error(`the demo history runs from ${DEMO_FIRST_YEAR}; it needs a now in 2020 or later`);
  }
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

  // --- pledges: three per organisation on average, 120 in all, made from 2015 through last year -----------
  const TOTAL_PLEDGES = 120;
  const perOrg = ORGANISATIONS.map(() => 3);
  const order = random.shuffle(ORGANISATIONS.map((_, index) => index));
  // Take one from some organisations and give one to others, so sizes vary while the total comes out right.
  const fewer = 12;
  const more = fewer - (perOrg.length * 3 - TOTAL_PLEDGES);
  order.slice(0, fewer).forEach((index) => (perOrg[index] -= 1));
  order.slice(fewer, fewer + more).forEach((index) => (perOrg[index] += 1));
  const years = random.shuffle(pledgesPerYear(DEMO_FIRST_YEAR, lastYear, TOTAL_PLEDGES));

  const made: { org: OrganisationSeed; theme: ThemeKey; submittedOn: string; terms: PledgeTerms }[] = [];
  ORGANISATIONS.forEach((org, orgIndex) => {
    const themes = random.shuffle(org.themes);
    for (let n = 0; n < perOrg[orgIndex]; n++) {
      const theme = themes[n % themes.length];
      const submittedOn = submissionDay(random, years[made.length], lastDay);
      const terms = makeTerms(random, org, THEMES[theme], yearOf(submittedOn));
      made.push({ org, theme, submittedOn, terms });
    }
  });
  // Keys in the order the pledges were made, as a registry numbers them: p001 is the oldest.
  const drafts: PledgeDraft[] = made
    .map((m, index) => ({ ...m, index }))
    .sort((a, b) => a.submittedOn.localeCompare(b.submittedOn) || a.index - b.index)
    .map(({ org, theme, submittedOn, terms }, index) => ({
      pledge: {
        key: `p${String(index + 1).padStart(3, '0')}`,
        organisation: `org-${org.key}`,
        submittedOn,
        author: random.pick(AUTHORS[org.type]),
        terms,
      },
      org,
      theme,
      reporting: 'until-now' as Reporting,
      amendments: [],
      current: terms,
      tracks: new Map<string, TargetTrack>(),
      ops: [],
      verifications: 0,
    }));
  const kindOf = new Map<string, IndicatorKind>();
  for (const draft of drafts)
    for (const target of draft.pledge.terms.targets)
      kindOf.set(`${draft.pledge.key}/${target.id}`, INDICATORS[target.id]);

  // --- roles, by age: old pledges are the ones fulfilled, lapsed or watered down ----------------------------
  const pool = random.shuffle(drafts);
  const free = new Set(drafts);
  const age = (draft: PledgeDraft) => lastYear - yearOf(draft.pledge.submittedOn);
  const take = (count: number, eligible: (draft: PledgeDraft) => boolean): PledgeDraft[] => {
    const picked = pool.filter((d) => free.has(d) && eligible(d)).slice(0, count);
    for (const d of pool) if (picked.length < count && free.has(d) && !picked.includes(d)) picked.push(d);
    picked.forEach((d) => free.delete(d));
    return picked;
  };
  const fulfilled = take(8, (d) => age(d) >= 4);
  // Watered down over the years: pledges made in different years.
  const wateredReporting: PledgeDraft[] = [];
  for (let i = 0; i < 5; i++) {
    const usedYears = new Set(wateredReporting.map((d) => yearOf(d.pledge.submittedOn)));
    wateredReporting.push(...take(1, (d) => age(d) >= 4 && !usedYears.has(yearOf(d.pledge.submittedOn))));
  }
  const withdrawnReporting = take(2, (d) => age(d) >= 2);
  const silent = [...take(18, (d) => age(d) >= 3), ...take(2, (d) => age(d) <= 1)];
  const stopped = take(10, (d) => age(d) >= 4);
  const strengthened = take(4, (d) => age(d) >= 1 && age(d) <= 6);
  const wateredDown = [...wateredReporting, silent[0], silent[1]]; // 7 pledges, the first twice
  const withdrawn = [wateredDown[1], wateredDown[5], ...withdrawnReporting, silent[2], silent[3]];

  fulfilled.forEach((d) => (d.reporting = 'until-fulfilled'));
  [...stopped, wateredReporting[3]].forEach((d) => (d.reporting = 'stopped'));
  silent.forEach((d) => (d.reporting = 'none'));
  [wateredDown[1], ...withdrawnReporting].forEach((d) => (d.reporting = 'until-withdrawn'));
  withdrawn.forEach((d, i) => (d.withdrawal = WITHDRAWAL_REASONS[i % WITHDRAWAL_REASONS.length]));

  // --- amendments: when (what they change is decided on the terms of that day) ------------------------------
  const wateringKinds: WateringKind[] = ['lower-target', 'postpone', 'cut-money', 'lower-and-postpone'];
  wateredDown.forEach((draft, index) => {
    const submitted = draft.pledge.submittedOn;
    const deadline = earliestDeadline(draft.current);
    const kind = wateringKinds[index % wateringKinds.length];
    // Before a withdrawal there must be room for it; otherwise up to a month ago.
    const until = addDays(lastDay, draft.withdrawal ? -400 : -30);
    // Some time between the pledge and its first deadline (or now): a cut at the mid-term review or in a
    // budget cycle, a postponement when the deadline comes near.
    const horizon = earlier(addDays(deadline, 90), until);
    const span = Math.max(0, daysBetween(submitted, horizon));
    const at = (from: number, to: number) => addDays(submitted, Math.round(span * random.between(from, to)));
    const around: Record<WateringKind, () => string> = {
      'lower-target': () => at(0.35, 0.7),
      postpone: () => at(0.75, 1),
      'cut-money': () => at(0.2, 0.6),
      'lower-and-postpone': () => at(0.6, 0.95),
    };
    const first = later(within(around[kind](), addDays(submitted, 365), until), submitted);
    draft.amendments.push({ on: first, wateringDown: kind });
    if (index === 0) {
      const second = within(addDays(first, random.int(400, 1100)), addDays(first, 60), until);
      draft.amendments.push({ on: later(second, first), wateringDown: 'postpone' });
    }
  });
  strengthened.forEach((draft, index) => {
    const submitted = draft.pledge.submittedOn;
    const on = later(
      within(addDays(submitted, random.int(200, 900)), addDays(submitted, 120), addDays(lastDay, -30)),
      submitted,
    );
    draft.amendments.push({ on, strengthening: index });
  });

  // --- each pledge's own history: its amendments and progress reports in time, then its closure ------------
  for (const draft of drafts) writeHistory(random, draft, { lastDay, kindOf });

  // --- corrections: 8 reports, each corrected once, some months after it was sent ---------------------------
  const corrections: { draft: PledgeDraft; op: DemoCorrection }[] = [];
  const correctable = random.shuffle(
    drafts.filter((d) => (d.reporting === 'until-now' || d.reporting === 'stopped') && !d.withdrawal),
  );
  for (const draft of correctable) {
    if (corrections.length === 8) break;
    const candidates = progressOf(draft).filter((r) => addDays(r.occurredAt, 45) <= lastDay);
    if (candidates.length === 0) continue;
    const original = random.pick(candidates);
    const track = draft.tracks.get(original.targetId)!;
    const target = draft.current.targets.find((t) => t.id === original.targetId)!;
    const delta = Math.abs(track.goal - track.baseline) * random.between(0.03, 0.12);
    let value = round(original.value + (random.chance(0.7) ? -delta : delta), track.decimals);
    if (value === original.value)
      value = round(original.value + (track.decimals === 0 ? 1 : 0.1), track.decimals);
    value = Math.max(0, target.unit.startsWith('%') ? Math.min(100, value) : value);
    const op: DemoCorrection = {
      kind: 'correction',
      pledge: draft.pledge.key,
      occurredAt: earlier(addDays(original.occurredAt, random.int(45, 300)), lastDay),
      report: `${original.report}-rev`,
      corrects: original.report,
      value,
      asOf: original.asOf,
      narrative: `Corrected figure: ${shown(value)} ${target.unit} as of ${original.asOf}.`,
      evidence: [
        `https://evidence.example.org/${draft.pledge.key}/${original.targetId}/${original.asOf}-revised.pdf`,
      ],
      reason: random.pick(CORRECTION_REASONS[evidenceKind(target.unit)]),
    };
    draft.ops.push(op);
    corrections.push({ draft, op });
  }

  // --- verifications of reports: 15, of figures that stand, some weeks after they were sent ----------------
  const verifierKeys = VERIFIERS.map((v) => v.key);
  const verification = (
    draft: PledgeDraft,
    on: string,
    fields: Pick<DemoVerification, 'verifier' | 'outcome' | 'note' | 'report'>,
  ): void => {
    const { report, ...rest } = fields;
    draft.ops.push({
      kind: 'verification',
      pledge: draft.pledge.key,
      occurredAt: on,
      verificationId: `v-${on}-${++draft.verifications}`,
      ...rest,
      ...(report !== undefined ? { report } : {}),
    });
  };
  const standing = (draft: PledgeDraft) => {
    const superseded = new Set(corrections.filter((c) => c.draft === draft).map((c) => c.op.corrects));
    const targetOf = new Map(progressOf(draft).map((r) => [r.report, r.targetId]));
    return draft.ops
      .filter((op): op is DemoProgress | DemoCorrection => op.kind === 'progress' || op.kind === 'correction')
      .filter((r) => !superseded.has(r.report) && addDays(r.occurredAt, 21) <= lastDay)
      .map((r) => {
        const targetId = r.kind === 'progress' ? r.targetId : targetOf.get(r.corrects)!;
        const unit = draft.current.targets.find((t) => t.id === targetId)!.unit;
        return { r, hasEvidence: r.evidence.length > 0, evidence: evidenceKind(unit) };
      });
  };
  let reportVerifications = 0;
  for (const draft of random.shuffle(drafts.filter((d) => progressOf(d).length > 0))) {
    if (reportVerifications === 15) break;
    const candidates = standing(draft);
    if (candidates.length === 0) continue;
    const candidate = random.pick(candidates);
    const disputed = !candidate.hasEvidence || random.chance(0.25);
    verification(draft, earlier(addDays(candidate.r.occurredAt, random.int(21, 84)), lastDay), {
      verifier: verifierKeys[reportVerifications % verifierKeys.length],
      outcome: disputed ? 'disputed' : 'confirmed',
      note: disputed
        ? candidate.hasEvidence
          ? random.pick(REPORT_DISPUTES[candidate.evidence])
          : NO_EVIDENCE
        : random.pick(CONFIRMATIONS[candidate.evidence]),
      report: candidate.r.report,
    });
    reportVerifications++;
  }

  // --- verifications of pledges as a whole: 10 -------------------------------------------------------------
  const weeksAfter = (day: string, min: number, max: number) =>
    earlier(addDays(day, random.int(min * 7, max * 7)), lastDay);
  fulfilled.slice(0, 4).forEach((draft, index) => {
    verification(draft, weeksAfter(draft.closedOn!, 4, 16), {
      verifier: verifierKeys[(index + 1) % 4],
      outcome: 'confirmed',
      note: PLEDGE_CONFIRMATIONS[index % 2],
    });
  });
  wateredDown.slice(0, 3).forEach((draft) => {
    const found = draft.firstWatering!;
    const [lowered, postponed, cut] = PLEDGE_DISPUTES_WATERED;
    verification(draft, weeksAfter(draft.amendments[0].on, 4, 20), {
      verifier: 'ver-caucus',
      outcome: 'disputed',
      note: found.has('financial-commitment-cut')
        ? cut
        : found.has('deadline-postponed') && !found.has('target-lowered')
          ? postponed
          : lowered,
    });
  });
  silent.slice(4, 6).forEach((draft, index) => {
    verification(draft, weeksAfter(draft.pledge.submittedOn, 70, 140), {
      verifier: 'ver-watch',
      outcome: 'disputed',
      note: PLEDGE_DISPUTES_SILENT[index],
    });
  });
  verification(withdrawn[2], weeksAfter(withdrawn[2].closedOn!, 3, 12), {
    verifier: 'ver-observatory',
    outcome: 'disputed',
    note: WITHDRAWAL_VERIFICATIONS[1],
  });

  // --- one timeline: each pledge's operations by day, then all of them by day (ties: pledge key) -----------
  const operations: DemoOperation[] = drafts
    .flatMap((draft) =>
      draft.ops
        .map((op, index) => ({ op, index }))
        .sort(
          (a, b) =>
            a.op.occurredAt.localeCompare(b.op.occurredAt) ||
            SAME_DAY_ORDER[a.op.kind] - SAME_DAY_ORDER[b.op.kind] ||
            a.index - b.index,
        )
        .map(({ op }) => op),
    )
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.pledge.localeCompare(b.pledge));

  const pledges = drafts.map((draft) => draft.pledge);
  checkTimeline(pledges, operations, lastDay);
  return { seed, now: now.toISOString(), tag, organisations, verifiers, pledges, operations };
}

function progressOf(draft: PledgeDraft): DemoProgress[] {
  return draft.ops.filter((op): op is DemoProgress => op.kind === 'progress');
}

function earliestDeadline(terms: PledgeTerms): string {
  return terms.targets.map((t) => t.deadline).reduce(earlier);
}

/**
 * Writes one pledge's amendments and progress reports in the order they happen, each decided on the terms
 * of its day, then its fulfilment or withdrawal. Reports come as of quarter ends, half-yearly or yearly
 * (some missed), each sent some weeks after its as-of date.
 */
function writeHistory(
  random: Random,
  draft: PledgeDraft,
  ctx: { lastDay: string; kindOf: Map<string, IndicatorKind> },
): void {
  const { lastDay, kindOf } = ctx;
  const key = draft.pledge.key;
  const submitted = draft.pledge.submittedOn;
  const deadline = earliestDeadline(draft.pledge.terms);
  const lastAmendment = draft.amendments.map((a) => a.on).reduce(later, submitted);
  const pace = (): number => {
    if (draft.amendments.some((a) => a.strengthening !== undefined)) return random.between(0.95, 1.4);
    if (draft.amendments.some((a) => a.wateringDown !== undefined)) return random.between(0.3, 0.8);
    if (draft.reporting === 'until-now') return random.between(0.45, 1.3);
    if (draft.reporting === 'stopped') return random.between(0.15, 0.8);
    return random.between(0.1, 0.6);
  };
  for (const target of draft.pledge.terms.targets) {
    draft.tracks.set(target.id, {
      baseline: target.baseline,
      goal: target.targetValue,
      since: submitted,
      deadline: target.deadline,
      pace: pace(),
      decimals: kindOf.get(`${key}/${target.id}`)!.decimals,
    });
  }

  // The closure's day (a fulfilment's follows the final report, below) and the quarters reported as of.
  const withdrawnOn = draft.withdrawal
    ? later(
        within(
          addDays(submitted, Math.round(daysBetween(submitted, lastDay) * random.between(0.3, 0.85))),
          later(addDays(submitted, 365), addDays(lastAmendment, 90)),
          addDays(lastDay, -20),
        ),
        lastAmendment,
      )
    : undefined;
  const firstQuarter = quarterEndingFrom(addDays(submitted, 60));
  let lastQuarter: number | undefined;
  let finalDelay = random.int(21, 75);
  let maxPeriods = random.int(1, 3);
  switch (draft.reporting) {
    case 'until-now':
      // The latest quarter whose report has had time to arrive: at most ~5 months ago, so never lapsed.
      finalDelay = random.int(14, 60);
      lastQuarter = quarterEndingBy(addDays(lastDay, -finalDelay));
      maxPeriods = random.int(2, 3);
      break;
    case 'stopped':
      lastQuarter = quarterEndingBy(
        within(
          addDays(lastDay, -random.int(260, 260 + 3 * 365)),
          addDays(submitted, 240),
          addDays(lastDay, -260),
        ),
      );
      break;
    case 'until-fulfilled':
      // Every target reached around the first deadline (a year early to a quarter late).
      lastQuarter = quarterEndingBy(
        within(addDays(deadline, random.int(-400, 90)), addDays(submitted, 700), addDays(lastDay, -240)),
      );
      maxPeriods = random.int(3, 5);
      break;
    case 'until-withdrawn':
      lastQuarter = quarterEndingBy(addDays(withdrawnOn!, -120));
      break;
    case 'none':
      break;
  }
  const step = random.chance(0.45) ? 2 : 4; // half-yearly or yearly
  let quarters: number[] = [];
  if (lastQuarter !== undefined && quarterEnd(lastQuarter) > submitted) {
    for (let q = lastQuarter; q >= firstQuarter || q === lastQuarter; q -= step) quarters.unshift(q);
  }
  if (quarters.length > maxPeriods) {
    // Some periods were never reported: keep the first and the last, and some in between.
    const middle = random.shuffle(quarters.slice(1, -1)).slice(0, Math.max(0, maxPeriods - 2));
    quarters =
      maxPeriods === 1
        ? quarters.slice(-1)
        : [quarters[0], ...middle.sort((a, b) => a - b), quarters.at(-1)!];
  }
  const periods = quarters.map((q, index) => {
    const asOf = quarterEnd(q);
    const delay = index === quarters.length - 1 ? finalDelay : random.int(21, 75);
    return { asOf, sentOn: earlier(addDays(asOf, delay), lastDay), final: index === quarters.length - 1 };
  });

  // Amendments and reports in time; an amendment comes before a report sent the same day.
  const events = [
    ...draft.amendments.map((amendment) => ({ on: amendment.on, amendment })),
    ...periods.map((period) => ({ on: period.sentOn, period })),
  ].sort((a, b) => a.on.localeCompare(b.on) || ('amendment' in a ? -1 : 0) - ('amendment' in b ? -1 : 0));
  let reportsWritten = 0;
  for (const event of events) {
    if ('amendment' in event) {
      const { on, wateringDown, strengthening } = event.amendment;
      const changes =
        wateringDown !== undefined
          ? waterDown(random, draft, wateringDown, kindOf, on)
          : strengthen(random, draft, strengthening ?? 0, kindOf);
      const pandemic = (yearOf(on) === 2020 || yearOf(on) === 2021) && random.chance(0.7);
      draft.ops.push({
        kind: 'amendment',
        pledge: key,
        occurredAt: on,
        reason:
          wateringDown !== undefined
            ? pandemic
              ? WATERING_DOWN_IN_LOCKDOWN
              : random.pick(WATERING_DOWN_REASONS)
            : STRENGTHENING_REASONS[(strengthening ?? 0) % STRENGTHENING_REASONS.length],
        changes,
        wateringDown: wateringDown !== undefined,
      });
      const before = draft.current;
      draft.current = applyTermsChanges(before, changes);
      if (wateringDown !== undefined && !draft.firstWatering)
        draft.firstWatering = new Set(findWateringDown(before, draft.current).map((f) => f.kind));
      for (const target of draft.current.targets) {
        if (draft.tracks.has(target.id)) continue;
        draft.tracks.set(target.id, {
          baseline: target.baseline,
          goal: target.targetValue,
          since: on,
          deadline: target.deadline,
          pace: random.between(0.6, 1.2),
          decimals: kindOf.get(`${key}/${target.id}`)!.decimals,
        });
      }
      continue;
    }
    const { asOf, sentOn, final } = event.period;
    const targets = draft.current.targets;
    const everyTarget = draft.reporting === 'until-fulfilled' && final;
    const reported = everyTarget ? targets : targets.filter(() => random.chance(0.6));
    if (reported.length === 0) reported.push(random.pick(targets));
    for (const target of reported) {
      const track = draft.tracks.get(target.id)!;
      let value: number;
      if (draft.reporting === 'until-fulfilled') {
        const share = final
          ? 1 + (random.chance(0.5) ? random.between(0, 0.1) : 0)
          : ((reportsWritten + 1) / periods.length) * random.between(0.75, 0.95);
        value = round(target.baseline + share * (target.targetValue - target.baseline), track.decimals);
      } else {
        value = valueOn(random, track, asOf);
      }
      if (target.unit.startsWith('%')) value = Math.min(100, value);
      value = Math.max(0, value);
      const source = random.pick(SOURCES[evidenceKind(target.unit)]);
      draft.ops.push({
        kind: 'progress',
        pledge: key,
        occurredAt: sentOn,
        report: `r-${asOf}-${target.id}`,
        targetId: target.id,
        value,
        asOf,
        narrative: `${capitalise(target.indicator)}: ${shown(value)} ${target.unit} as of ${asOf}, from ${source}.`,
        evidence: random.chance(0.8) ? [`https://evidence.example.org/${key}/${target.id}/${asOf}.pdf`] : [],
      });
    }
    reportsWritten++;
  }

  if (draft.reporting === 'until-fulfilled' && periods.length > 0) {
    const fulfilledOn = earlier(addDays(periods.at(-1)!.sentOn, random.int(14, 60)), lastDay);
    const early = fulfilledOn < earliestDeadline(draft.current);
    draft.closedOn = fulfilledOn;
    draft.ops.push({
      kind: 'fulfilment',
      pledge: key,
      occurredAt: fulfilledOn,
      note: early ? FULFILMENT_NOTES[1] : random.pick(FULFILMENT_NOTES.filter((_, i) => i !== 1)),
    });
  }
  if (withdrawnOn !== undefined) {
    draft.closedOn = withdrawnOn;
    draft.ops.push({
      kind: 'withdrawal',
      pledge: key,
      occurredAt: withdrawnOn,
      reason: draft.withdrawal!,
    });
  }
}

/** The indicator on a day: the share of the way `pace` gives for the time elapsed, give or take; sometimes it
 *  moved the wrong way. */
function valueOn(random: Random, track: TargetTrack, asOf: string): number {
  const span = Math.max(365, daysBetween(track.since, track.deadline));
  const elapsed = Math.max(0, daysBetween(track.since, asOf)) / span;
  let share = Math.min(1.15, track.pace * elapsed) + random.between(-0.04, 0.04);
  if (random.chance(0.06)) share = -random.between(0.02, 0.1);
  return round(track.baseline + share * (track.goal - track.baseline), track.decimals);
}

/** Fails loudly on a plan the ledger would refuse: a bug here, not a problem for the newcomer to solve. */
function checkTimeline(pledges: DemoPledge[], operations: DemoOperation[], lastDay: string): void {
  const last = new Map(pledges.map((p) => [p.key, p.submittedOn]));
  for (const pledge of pledges)
    if (pledge.submittedOn > lastDay)
      throw new Error(`demo plan bug: ${pledge.key} is made after ${lastDay}`);
  for (const op of operations) {
    const before = last.get(op.pledge)!;
    if (op.occurredAt < before || op.occurredAt > lastDay)
      throw new Error(`demo plan bug: ${op.pledge} ${op.kind} on ${op.occurredAt} is out of order or ahead`);
    if ((op.kind === 'progress' || op.kind === 'correction') && op.asOf > op.occurredAt)
      throw new Error(`demo plan bug: ${op.pledge} ${op.report} is as of ${op.asOf}, after it was sent`);
    last.set(op.pledge, op.occurredAt);
  }
}

function makeTerms(random: Random, org: OrganisationSeed, theme: Theme, submittedYear: number): PledgeTerms {
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

  // What: targets, due three to ten years after the pledge is made
  const earliestYear = Math.max(DEMO_DEADLINE_YEARS.first, submittedYear + 2);
  const latestYear = Math.max(earliestYear, DEMO_DEADLINE_YEARS.last);
  const clampYear = (y: number) => Math.min(latestYear, Math.max(earliestYear, y));
  const year = clampYear(submittedYear + random.pick([3, 4, 5, 5, 6, 7, 8, 10]));
  const howMany = random.chance(0.3) ? 1 : random.chance(0.65) ? 2 : 3;
  const kinds = random.shuffle(theme.indicators).slice(0, howMany);
  const scale = SCALE[org.type] * (countries.length > 1 || regions.length > 0 || global ? 1.5 : 1);
  const targets: Target[] = kinds.map((id, index) => {
    const draft = INDICATORS[id].make(random, scale, scope);
    const targetYear = index === 0 ? year : clampYear(year + random.int(-1, 1));
    return { id, ...draft, deadline: `${targetYear}-${random.pick(QUARTER_ENDS)}` };
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

const LATEST_DEADLINE = `${DEMO_DEADLINE_YEARS.last}-12-31`;

/** `years` later, never past the last deadline year of the demo (unless it already is). */
function laterDeadline(deadline: string, years: number): string {
  const moved = `${Number(deadline.slice(0, 4)) + years}${deadline.slice(4)}`;
  return deadline >= LATEST_DEADLINE ? deadline : earlier(moved, LATEST_DEADLINE);
}

/** A deadline postponed by a year or two, and at least a year after the day it is postponed on. */
function postponed(random: Random, deadline: string, on: string): string {
  let years = random.int(1, 2);
  while (laterDeadline(deadline, years) < addDays(on, 365) && years < 10) years++;
  return laterDeadline(deadline, years);
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
  on: string,
): PledgeTermsChanges {
  const terms = draft.current;
  let wateringKind: WateringKind = preferred;
  if (wateringKind === 'cut-money' && !terms.financialCommitment) wateringKind = 'lower-target';
  if (wateringKind === 'postpone' && terms.targets.every((t) => t.deadline >= LATEST_DEADLINE))
    wateringKind = 'lower-target';
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
          deadline: postponed(random, target.deadline, on),
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
                  wateringKind === 'lower-and-postpone'
                    ? postponed(random, target.deadline, on)
                    : target.deadline,
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
  // Add a target of the same theme the pledge does not have yet, due with the latest of the others.
  const addTarget = (): Target | undefined => {
    const have = new Set(terms.targets.map((t) => t.id));
    const id = THEMES[draft.theme].indicators.find((candidate) => !have.has(candidate));
    if (!id) return undefined;
    const kind = INDICATORS[id];
    kindOf.set(`${draft.pledge.key}/${id}`, kind);
    return {
      id,
      ...kind.make(random, SCALE[draft.org.type], scopeOf(terms)),
      deadline: terms.targets.map((t) => t.deadline).reduce(later),
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
    if (isReductionTarget(target)) value = Math.max(0, value);
    else if (target.unit.startsWith('%')) value = Math.min(100, value);
    return value === target.targetValue ? target : { ...target, targetValue: value };
  });
  if (raised.some((target, i) => target !== terms.targets[i])) return { targets: raised };
  const added = addTarget();
  if (added) return { targets: [...terms.targets, added] };
  // Nothing left to raise or add: widen the programme.
  return { description: `${terms.description} ${WIDER_PROGRAMME}` };
}

const WIDER_PROGRAMME = 'From this amendment on, the programme also covers women with disabilities.';

/** For tests and the loader's log: what watering-down the domain would find in an amendment. */
export function wateringDownOf(before: PledgeTerms, changes: PledgeTermsChanges) {
  return findWateringDown(before, applyTermsChanges(before, changes));
}
