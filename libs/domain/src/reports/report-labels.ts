// Human labels for report groups. The keys stay the stored codes; labels are for people reading the report.
// Only the English country names are loaded: the library's main entry would register every locale.
import englishCountryNames from 'i18n-iso-countries/langs/en.json';
import type { ActionCatalogue } from '../action-frameworks';
import type { ActorType } from '../actor';
import { isRegion, REGION_NAMES } from '../geography';

/** Group of pledges that name no country (or no region) but say they are worldwide. */
export const GLOBAL_GROUP_KEY = 'global';
/** Group of pledges that name no country (or region, or action) and are not worldwide. */
export const UNSPECIFIED_GROUP_KEY = 'unspecified';

const SPECIAL_LABELS: Readonly<Record<string, string>> = {
  [GLOBAL_GROUP_KEY]: 'Global',
  [UNSPECIFIED_GROUP_KEY]: 'Unspecified',
};

const ACTOR_TYPE_LABELS: Readonly<Record<ActorType, string>> = {
  government: 'Government',
  'private-sector': 'Private sector',
  'civil-society': 'Civil society',
  'international-organisation': 'International organisation',
  academia: 'Academia',
  'multi-stakeholder': 'Multi-stakeholder',
};

const COUNTRY_NAMES: Readonly<Record<string, string | readonly string[]>> = englishCountryNames.countries;

export function actorTypeLabel(type: string): string {
  return (ACTOR_TYPE_LABELS as Readonly<Record<string, string>>)[type] ?? type;
}

/** English short name ("Kenya"); where the library lists several, its first (official) one. */
export function countryLabel(code: string): string {
  if (Object.prototype.hasOwnProperty.call(SPECIAL_LABELS, code)) return SPECIAL_LABELS[code];
  const name = Object.prototype.hasOwnProperty.call(COUNTRY_NAMES, code) ? COUNTRY_NAMES[code] : undefined;
  if (name === undefined) return code;
  return typeof name === 'string' ? name : (name[0] ?? code);
}

export function regionLabel(slug: string): string {
  if (Object.prototype.hasOwnProperty.call(SPECIAL_LABELS, slug)) return SPECIAL_LABELS[slug];
  return isRegion(slug) ? REGION_NAMES[slug] : slug;
}

export function frameworkLabel(code: string, catalogue: ActionCatalogue): string {
  if (code === UNSPECIFIED_GROUP_KEY) return SPECIAL_LABELS[code];
  return catalogue.find(code)?.name ?? code;
}

/** `key` is `framework/action`. */
export function actionLabel(key: string, catalogue: ActionCatalogue): string {
  if (key === UNSPECIFIED_GROUP_KEY) return SPECIAL_LABELS[key];
  const slash = key.indexOf('/');
  const ref = { framework: key.slice(0, slash), action: key.slice(slash + 1) };
  return catalogue.findAction(ref)?.title ?? key;
}
