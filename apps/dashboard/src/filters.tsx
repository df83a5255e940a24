import { useEffect, useState } from 'preact/hooks';
import { api, Framework, PROVENANCES, Region, STATUSES } from './api';
import { href, useUi } from './context';
import type { MessageKey } from './i18n';

export const FILTER_NAMES = [
  'status',
  'provenance',
  'actorType',
  'country',
  'region',
  'framework',
  'action',
  'submittedFrom',
  'submittedTo',
] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type Filters = Partial<Record<FilterName | 'actor', string>>;

/** The filters in a page's address (only the ones the API knows; anything else in the URL is ignored). */
export function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of [...FILTER_NAMES, 'actor' as const]) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

/** An actor type's name in the page's language (its code when the catalogue has none). */
export function actorTypeName(t: (key: MessageKey) => string, code: string): string {
  const key = `actorType.${code}` as MessageKey;
  const name = t(key);
  return name === key ? code : name;
}

export interface Reference {
  frameworks: Framework[];
  regions: Region[];
  actorTypes: string[];
}

let reference: Promise<Reference> | null = null;
export function loadReference(): Promise<Reference> {
  reference ??= Promise.all([api.frameworks(), api.regions(), api.actorTypes()]).then(
    ([frameworks, regions, actorTypes]) => ({ frameworks, regions, actorTypes }),
  );
  reference.catch(() => (reference = null));
  return reference;
}

export function useReference(): Reference | null {
  const [value, setValue] = useState<Reference | null>(null);
  useEffect(() => {
    let live = true;
    loadReference()
      .then((r) => live && setValue(r))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return value;
}

/**
 * The filter form of a report or list page. Applying it changes the page's address (so the filtered view is a
 * link to share), which reloads the page's data.
 */
export function FilterForm({ path, filters }: { path: string; filters: Filters }) {
  const { t } = useUi();
  const ref = useReference();
  const [draft, setDraft] = useState<Filters>(filters);
  useEffect(() => setDraft(filters), [JSON.stringify(filters)]);
  const set = (name: FilterName, value: string) => setDraft((d) => ({ ...d, [name]: value || undefined }));
  const submit = (e: Event) => {
    e.preventDefault();
    const next = { ...draft, country: draft.country?.trim().toUpperCase() || undefined };
    location.hash = href(path, { ...next, actor: filters.actor }).slice(1);
  };
  const select = (name: FilterName, options: readonly { value: string; label: string }[]) => (
    <div class="field" key={name}>
      <label for={`f-${name}`}>{t(`filter.${name}` as MessageKey)}</label>
      <select
        id={`f-${name}`}
        name={name}
        value={draft[name] ?? ''}
        onChange={(e) => set(name, e.currentTarget.value)}
      >
        <option value="">{t('common.all')}</option>
        {options.map((o) => (
          <option value={o.value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  const actions = (ref?.frameworks ?? []).flatMap((f) =>
    f.actions.map((a) => ({ value: `${f.code}/${a.code}`, label: `${f.code}: ${a.title}` })),
  );
  return (
    <form class="filters" onSubmit={submit} aria-label={t('common.filters')} data-testid="filters">
      {(
        [
          ['status', STATUSES.map((v) => ({ value: v, label: t(`status.${v}` as MessageKey) }))],
          ['provenance', PROVENANCES.map((v) => ({ value: v, label: t(`provenance.${v}` as MessageKey) }))],
          ['actorType', (ref?.actorTypes ?? []).map((v) => ({ value: v, label: actorTypeName(t, v) }))],
          ['region', (ref?.regions ?? []).map((r) => ({ value: r.code, label: r.name }))],
          ['framework', (ref?.frameworks ?? []).map((f) => ({ value: f.code, label: f.name }))],
          ['action', actions],
        ] as const
      ).map(([name, options]) => select(name, options))}
      <div class="field">
        <label for="f-country">{t('filter.country')}</label>
        <input
          id="f-country"
          name="country"
          value={draft.country ?? ''}
          maxLength={2}
          size={4}
          autocomplete="off"
          pattern="[A-Za-z]{2}"
          onInput={(e) => set('country', e.currentTarget.value)}
        />
      </div>
      {(['submittedFrom', 'submittedTo'] as const).map((name) => (
        <div class="field" key={name}>
          <label for={`f-${name}`}>{t(`filter.${name}`)}</label>
          <input
            id={`f-${name}`}
            type="date"
            value={draft[name] ?? ''}
            onInput={(e) => set(name, e.currentTarget.value)}
          />
        </div>
      ))}
      <div class="field buttons">
        <button type="submit">{t('common.apply')}</button>
        <a href={href(path)}>{t('common.clear')}</a>
      </div>
      {filters.actor && (
        <p class="chips">
          <span class="chip" data-testid="actor-filter">
            {t('filter.actor', { name: filters.actor })}{' '}
            <a href={href(path, { ...filters, actor: undefined })} aria-label={t('filter.remove')}>
              ✕
            </a>
          </span>
        </p>
      )}
    </form>
  );
}
