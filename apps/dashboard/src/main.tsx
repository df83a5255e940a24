import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { preloadCharts } from './chart';
import { LiveStatus, PageHeading } from './components';
import { makeUi, parseRoute, Route, UiContext, useUi } from './context';
import { Lang, LANGUAGES, pickLanguage } from './i18n';
import { liveFeed } from './live';
import { ActorPage } from './pages/actor';
import { Overview } from './pages/overview';
import { PledgePage } from './pages/pledge';
import { PledgesPage } from './pages/pledges';
import { ReportPage } from './pages/report';
import './styles.css';

const LANG_KEY = 'pledge-ledger.lang';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function Page({ route }: { route: Route }) {
  const [first, second] = route.path;
  switch (first) {
    case undefined:
      return <Overview />;
    case 'countries':
      return <ReportPage dimension="country" route={route} key="country" />;
    case 'actors':
      return <ReportPage dimension="actor" route={route} key="actor" />;
    case 'actions':
      return <ReportPage dimension="action" route={route} key="action" />;
    case 'pledges':
      return <PledgesPage route={route} />;
    case 'pledge':
      if (second) return <PledgePage pledgeId={second} key={second} />;
      break;
    case 'actor':
      if (second) return <ActorPage actorId={second} key={second} />;
      break;
  }
  return <NotFound />;
}

function NotFound() {
  const { t } = useUi();
  return (
    <div>
      <PageHeading title={`${t('notFound.heading')} · ${t('app.title')}`}>
        {t('notFound.heading')}
      </PageHeading>
      <a href="#/">{t('notFound.back')}</a>
    </div>
  );
}

const NAV = [
  ['/', 'nav.overview', undefined],
  ['/countries', 'nav.countries', 'countries'],
  ['/actors', 'nav.actors', 'actors'],
  ['/actions', 'nav.actions', 'actions'],
  ['/pledges', 'nav.pledges', 'pledges'],
] as const;

function App() {
  const route = useRoute();
  const [lang, setLang] = useState<Lang>(() =>
    pickLanguage(navigator.languages ?? [navigator.language], localStorage.getItem(LANG_KEY)),
  );
  const ui = useMemo(() => makeUi(lang, navigator.language || 'en'), [lang]);
  const { t } = ui;
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => void liveFeed.start(), []);
  const chooseLang = (value: string) => {
    const next = pickLanguage([], value);
    localStorage.setItem(LANG_KEY, next);
    setLang(next);
  };

  return (
    <UiContext.Provider value={ui}>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('page-heading')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <header class="site">
        <div class="brand">
          <a href="#/" class="title">
            {t('app.title')}
          </a>
          <p class="subtitle">{t('app.subtitle')}</p>
        </div>
        <div class="tools">
          <label for="lang">{t('app.language')}</label>
          <select id="lang" value={lang} onChange={(e) => chooseLang(e.currentTarget.value)}>
            {LANGUAGES.map((l) => (
              <option value={l.code} key={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul>
            {NAV.map(([path, key, segment]) => (
              <li key={path}>
                <a href={`#${path}`} aria-current={route.path[0] === segment ? 'page' : undefined}>
                  {t(key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <LiveStatus />
      </header>
      <main id="main">
        <Page route={route} />
      </main>
      <footer class="site">
        <a href="/docs">OpenAPI</a> · <a href="/log/checkpoint">/log/checkpoint</a> ·{' '}
        <a href="/health">/health</a>
      </footer>
    </UiContext.Provider>
  );
}

preloadCharts(parseRoute(location.hash).path.length === 0);
render(<App />, document.getElementById('app')!);
