import { api } from '../api';
import { ErrorNote, Freshness, Loading, PageHeading, useData } from '../components';
import { useUi } from '../context';
import { actorTypeName } from '../filters';
import { StatusPie } from './overview';
import { PledgePager, PledgeTable, usePledgePages } from './pledges';

export function ActorPage({ actorId }: { actorId: string }) {
  const ui = useUi();
  const { t, fmt } = ui;
  const actor = useData(`actor:${actorId}`, (signal) => api.actor(actorId, signal));
  const report = useData(`actor-report:${actorId}`, (signal) =>
    api.report('actor', { actor: actorId }, signal),
  );
  const pages = usePledgePages({ actor: actorId });
  const name = actor.data?.name ?? actorId;
  if (actor.error) return <ErrorNote error={actor.error} retry={actor.reload} heading={t('actor.heading')} />;
  const totals = report.data?.totals;
  const list = pages.list.data;
  return (
    <div data-testid="page-actor-profile" data-ready={actor.data && list ? 'true' : undefined}>
      <PageHeading title={`${name} · ${t('app.title')}`}>{name}</PageHeading>
      {actor.data && (
        <dl class="facts">
          <dt>{t('actor.type')}</dt>
          <dd>{actorTypeName(t, actor.data.type)}</dd>
          <dt>{t('actor.country')}</dt>
          <dd>{fmt.country(actor.data.country)}</dd>
          <dt>{t('actor.registered', { time: '' }).trim()}</dt>
          <dd>{fmt.instant(actor.data.registeredAt)}</dd>
        </dl>
      )}
      {totals && (
        <section class="card">
          <h2>{t('overview.byStatus')}</h2>
          <StatusPie totals={totals} height={220} />
        </section>
      )}
      <section class="card">
        <h2>{t('actor.pledges')}</h2>
        {!list ? (
          pages.list.error ? (
            <ErrorNote error={pages.list.error} retry={pages.list.reload} />
          ) : (
            <Loading />
          )
        ) : (
          <>
            <Freshness computedAt={list.computedAt} watermark={list.watermark} log={list.log} />
            <PledgeTable
              items={list.items}
              caption={t('actor.pledges')}
              csvName={`pledges-${actorId}.csv`}
              ui={ui}
            />
            <PledgePager pages={pages} />
          </>
        )}
      </section>
    </div>
  );
}
