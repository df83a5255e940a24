// The library's main entry registers every locale (~55 ms, megabytes of names) on import; validation
// needs only the code tables, which its plain index holds.
import { getAlpha2Codes } from 'i18n-iso-countries/index';

/** Every country code a pledge or an organisation may name, sorted (the API's document lists them). */
export const COUNTRY_CODES: readonly string[] = Object.freeze(Object.keys(getAlpha2Codes()).sort());

const ALPHA2_CODES: ReadonlySet<string> = new Set(COUNTRY_CODES);

/**
 * ISO 3166-1 alpha-2, uppercase only ("KE", not "ke" or "KEN"): one spelling per country keeps
 * reports by country from splitting. Follows i18n-iso-countries, which also knows "XK" (Kosovo).
 */
export function isCountryCode(code: string): boolean {
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) && ALPHA2_CODES.has(code);
}

/**
 * Regions a pledge may name instead of (or besides) countries; a worldwide pledge says `global: true`.
 * Slugs for: the UN M49 regions, sub-regions and intermediate regions; the ITU regions not already among
 * those (Arab States, Asia-Pacific, CIS); and the UN country groupings WSIS follow-up reports use.
 */
export const REGION_NAMES = Object.freeze({
  // UN M49 regions
  africa: 'Africa',
  americas: 'Americas',
  asia: 'Asia',
  europe: 'Europe',
  oceania: 'Oceania',
  // UN M49 sub-regions
  'northern-africa': 'Northern Africa',
  'sub-saharan-africa': 'Sub-Saharan Africa',
  'latin-america-caribbean': 'Latin America and the Caribbean',
  'northern-america': 'Northern America',
  'central-asia': 'Central Asia',
  'eastern-asia': 'Eastern Asia',
  'south-eastern-asia': 'South-eastern Asia',
  'southern-asia': 'Southern Asia',
  'western-asia': 'Western Asia',
  'eastern-europe': 'Eastern Europe',
  'northern-europe': 'Northern Europe',
  'southern-europe': 'Southern Europe',
  'western-europe': 'Western Europe',
  'australia-new-zealand': 'Australia and New Zealand',
  melanesia: 'Melanesia',
  micronesia: 'Micronesia',
  polynesia: 'Polynesia',
  // UN M49 intermediate regions
  'eastern-africa': 'Eastern Africa',
  'middle-africa': 'Middle Africa',
  'southern-africa': 'Southern Africa',
  'western-africa': 'Western Africa',
  caribbean: 'Caribbean',
  'central-america': 'Central America',
  'south-america': 'South America',
  // ITU regions
  'arab-states': 'Arab States',
  'asia-pacific': 'Asia and the Pacific',
  cis: 'Commonwealth of Independent States',
  // UN country groupings
  'least-developed-countries': 'Least Developed Countries (LDCs)',
  'landlocked-developing-countries': 'Landlocked Developing Countries (LLDCs)',
  'small-island-developing-states': 'Small Island Developing States (SIDS)',
} as const);

export type Region = keyof typeof REGION_NAMES;

export const REGIONS: readonly Region[] = Object.freeze(Object.keys(REGION_NAMES) as Region[]);

export function isRegion(value: string): value is Region {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REGION_NAMES, value);
}
