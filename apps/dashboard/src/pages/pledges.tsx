import { useState } from 'preact/hooks';
import { api, ListedPledge, PledgeList, query } from '../api';
import {
  Column,
  DataTable,
  ErrorNote,
  Freshness,
  ImportedMarker,
  Loading,
  PageHeading,
  StatusBadge,
  useData,
  VerificationBadge,
  WateredDownMarker,
} from '../components';
import { href, Route, Ui, useUi } from '../context';
import { FilterForm, Filters, filtersOf } from '../filters';
import type { MessageKey } from '../i18n';
import { useLiveReload } from '../live';
import { provenanceOf } from '../provenance';

const PAGE_SIZE = 50;

/**
 * Where a listed pledge came from: imported (its submission came in through an import of earlier records, the
 * sources named in the marker's title) or direct. Null when the API's answer does not say (an older API): the
 * table then has no such column.
 */
export function provenanceColumn(items: ListedPledge[], ui: Ui): Column<ListedPledge> | null {
  const { t, fmt } = ui;
  if (!items.some((p) => provenanceOf(p) !== undefined)) return null;
  const label = (p: ListedPledge) => {
    const provenance = provenanceOf(p);
    return provenance ? t(`provenance.${provenance}` as MessageKey) : '';
  };
  return {
    key: 'provenance',
    label: t('table.provenance'),
    value: label,
    render: (p) =>
      provenanceOf(p) === 'imported' ? (
        <ImportedMarker
          title={
            p.importSources?.length
              ? t('pledge.importedFrom', { sources: fmt.list(p.importSources) })
              : undefined
          }
        />
      ) : (
        label(p)
      ),
  };
}

/** A table of pledges: title (to the pledge's page), actor (to the actor's page), status, verification. */
export function PledgeTable({
  items,
  caption,
  csvName,
  ui,
}: {
  items: ListedPledge[];
  caption: string;
  csvName: string;
  ui: Ui;
}) {
  const { t, fmt } = ui;
  const provenance = provenanceColumn(items, ui);
  return (
    <DataTable<ListedPledge>
      caption={caption}
      csvName={csvName}
      testId="pledge-table"
      rows={items}
      columns={[
        {
          key: 'title',
          label: t('table.title'),
          value: (p) => p.terms.title,
          render: (p) => (
            <span>
              <a href={`#/pledge/${p.pledgeId}`} data-pledge-id={p.pledgeId}>
                {p.terms.title}
              </a>{' '}
              {p.wateredDown && <WateredDownMarker />}
            </span>
          ),
        },
        {
          key: 'actor',
          label: t('table.actor'),
          value: (p) => p.actor.name,
          render: (p) => <a href={`#/actor/${encodeURIComponent(p.actor.id)}`}>{p.actor.name}</a>,
        },
        {
          key: 'status',
          label: t('table.status'),
          value: (p) => t(`status.${p.status}` as MessageKey),
          render: (p) => <StatusBadge status={p.status} />,
        },
        {
          key: 'verification',
          label: t('table.verification'),
          value: (p) => t(`verification.${p.verification}` as MessageKey),
          render: (p) => <VerificationBadge value={p.verification} />,
        },
        {
          key: 'wateredDown',
          label: t('table.wateredDown'),
          value: (p) => (p.wateredDown ? 'yes' : 'no'),
          render: (p) => (p.wateredDown ? '▼' : ''),
        },
        ...(provenance ? [provenance] : []),
        {
          key: 'submitted',
          label: t('table.submitted'),
          value: (p) => p.submittedAt,
          render: (p) => fmt.day(p.submittedAt),
        },
      ]}
    />
  );
}

/**
 * Pledges newest first with the filters given, a page at a time (the API's cursor). With `address`, the page is
 * in the address too (`cursor=`): a page can be shared, and the browser's Back button returns to the one before.
 */
export function usePledgePages(filters: Filters, address?: { path: string; cursor: string | null }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const filterKey = JSON.stringify(filters);
  const [forKey, setForKey] = useState(filterKey);
  if (forKey !== filterKey) {
    setForKey(filterKey);
    setCursors([]);
  }
  const cursor = address ? (address.cursor ?? undefined) : cursors[cursors.length - 1];
  const list = useData<PledgeList>(`${filterKey}|${cursor ?? ''}`, (signal) =>
    api.pledges(
      { ...(filters as Record<string, string>), limit: String(PAGE_SIZE), cursor: cursor ?? '' },
      signal,
    ),
  );
  useLiveReload((e) => !!e.pledgeId && e.logIndex >= (list.data?.log.treeSize ?? 0), list.reload, list.data);
  const go = (next: string | undefined) => {
    if (address) location.hash = href(address.path, { ...filters, cursor: next }).slice(1);
    else setCursors((c) => (next ? [...c, next] : []));
  };
  return {
    list,
    next: list.data?.nextCursor ? () => go(list.data!.nextCursor!) : null,
    first: cursor ? () => go(undefined) : null,
  };
}

export function PledgePager({ pages }: { pages: ReturnType<typeof usePledgePages> }) {
  const { t } = useUi();
  return (
    <div class="pager">
      {pages.first && (
        <button type="button" onClick={pages.first}>
          {t('common.first')}
        </button>
      )}
      {pages.next && (
        <button type="button" onClick={pages.next} data-testid="next-page">
          {t('common.next')}
        </button>
      )}
    </div>
  );
}

export function PledgesPage({ route }: { route: Route }) {
  const ui = useUi();
  const { t } = ui;
  const filters = filtersOf(route.params);
  const pages = usePledgePages(filters, { path: '/pledges', cursor: route.params.get('cursor') });
  const data = pages.list.data;
  return (
    <div data-testid="page-pledges" data-ready={data ? 'true' : undefined}>
      <PageHeading title={`${t('pledges.heading')} · ${t('app.title')}`}>{t('pledges.heading')}</PageHeading>
      <FilterForm path="/pledges" filters={filters} />
      {!data ? (
        pages.list.error ? (
          <ErrorNote error={pages.list.error} retry={pages.list.reload} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          <Freshness computedAt={data.computedAt} watermark={data.watermark} log={data.log} />
          <p class="help">
            {t('common.showing', { n: data.items.length })} ·{' '}
            <a href={`/pledges${query(filters as Record<string, string>)}`}>{t('common.rawJson')}</a>
          </p>
          {data.items.length === 0 ? (
            <p>{t('pledges.empty')}</p>
          ) : (
            <PledgeTable items={data.items} caption={t('pledges.heading')} csvName="pledges.csv" ui={ui} />
          )}
          <PledgePager pages={pages} />
        </>
      )}
    </div>
  );
}
