import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The public dashboard: a static single-page app built into dist/apps/dashboard, which the ledger API serves
 * under `/` (apps/ledger-api/src/dashboard). Preact for the views, Apache ECharts (tree-shaken, SVG renderer) for
 * the charts, loaded in their own chunk so the first paint does not wait for them.
 */
const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: resolve(here, 'public'),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(here, '../../dist/apps/dashboard'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
});
