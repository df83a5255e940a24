import { useEffect, useRef } from 'preact/hooks';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';

type EChartsModule = typeof import('./echarts');
let loading: Promise<EChartsModule> | null = null;
/** The page's font, named (ECharts measures labels with it: 'inherit' would measure wrong and clip them). */
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
let worldMap: Promise<void> | null = null;

function loadECharts(): Promise<EChartsModule> {
  loading ??= import('./echarts');
  return loading;
}

/**
 * The world's countries (Natural Earth 1:110m via world-atlas, TopoJSON) registered as ECharts map `world`,
 * each feature named by its ISO 3166-1 alpha-2 code (the ledger's country codes) instead of its English name.
 */
function loadWorldMap(module: EChartsModule): Promise<void> {
  worldMap ??= (async () => {
    const [{ feature }, atlasUrl, codes] = await Promise.all([
      import('topojson-client'),
      import('world-atlas/countries-110m.json?url').then((m) => m.default as string),
      import('i18n-iso-countries/codes.json').then((m) => m.default as string[][]),
    ]);
    const numericToAlpha2 = new Map(codes.map(([alpha2, , numeric]) => [numeric, alpha2]));
    const topology = await (await fetch(atlasUrl)).json();
    const world = feature(topology, topology.objects.countries) as unknown as {
      features: { id?: string; properties: { name: string } }[];
    };
    for (const f of world.features) {
      f.properties = { name: numericToAlpha2.get(String(f.id)) ?? f.properties.name };
    }
    module.echarts.registerMap('world', world as never);
  })();
  return worldMap;
}

/**
 * Starts loading the charting library (and the world map) at once, alongside the page's data, instead of after
 * the data has rendered: the charts are then drawn without waiting on a chain of downloads.
 */
export function preloadCharts(withMap: boolean): void {
  void loadECharts().then((module) => (withMap ? loadWorldMap(module) : undefined));
}

export interface ChartProps {
  /** The chart's accessible name and caption; the figures themselves are also in a table on the page. */
  label: string;
  option: EChartsCoreOption;
  height?: number;
  map?: boolean;
  testId?: string;
}

/**
 * One ECharts chart, drawn once the library has loaded (the page's text and tables do not wait for it),
 * redrawn when its option changes, resized with its box. `data-rendered` tells tests it is drawn.
 */
export function Chart({ label, option, height = 280, map = false, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const serialised = JSON.stringify(option);

  useEffect(() => {
    let cancelled = false;
    const el = box.current;
    void (async () => {
      const module = await loadECharts();
      if (map) await loadWorldMap(module);
      if (cancelled || !el) return;
      chart.current ??= module.echarts.init(el, undefined, { renderer: 'svg' });
      chart.current.setOption(
        {
          animation: false,
          aria: { enabled: true, label: { description: label } },
          textStyle: { fontFamily: FONT },
          ...option,
        },
        true,
      );
      el.dataset.rendered = 'true';
    })();
    return () => {
      cancelled = true;
    };
  }, [serialised, label, map]);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // Not while detached or collapsed: a map resized to nothing throws inside the library.
    const observer = new ResizeObserver(() => {
      if (el.isConnected && el.clientWidth > 0 && el.clientHeight > 0) chart.current?.resize();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  return (
    <figure class="chart">
      <div
        ref={box}
        class="chart-box"
        role="img"
        aria-label={label}
        style={{ height: `${height}px` }}
        data-testid={testId}
      />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** Colours with at least 3:1 contrast against white (WCAG non-text contrast), one per status. */
export const STATUS_COLOURS: Record<string, string> = {
  active: '#1f6fb2',
  lapsed: '#b35c00',
  fulfilled: '#2e7d32',
  withdrawn: '#6b6b6b',
  confirmed: '#2e7d32',
  disputed: '#b3261e',
  unverified: '#6b6b6b',
  reached: '#2e7d32',
  onTrack: '#1f6fb2',
  offTrack: '#b35c00',
  noProgress: '#6b6b6b',
  overdue: '#b3261e',
};
