/**
 * Apache ECharts, only the parts the dashboard draws (tree-shaken; SVG renderer: crisp at any zoom, and the
 * text stays text). Loaded on demand by Chart (chart.tsx), in a chunk of its own.
 */
import * as echarts from 'echarts/core';
import * as charts from 'echarts/charts';
import * as components from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  charts.BarChart,
  charts.LineChart,
  charts.MapChart,
  charts.PieChart,
  components.AriaComponent,
  components.GridComponent,
  components.LegendComponent,
  components.MarkLineComponent,
  components.TooltipComponent,
  components.VisualMapComponent,
  SVGRenderer,
]);

export { echarts };
