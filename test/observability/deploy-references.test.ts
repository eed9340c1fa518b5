// The Grafana dashboard and the Prometheus alert rules query only series Fulcrum exports:
// a renamed metric fails here, not silently on a dashboard in production.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricMeter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../api/metrics.ts';
import { projectRoot } from '../../config/index.ts';
import { WORKER_MEMORY } from '../../config/worker-memory.ts';
import { createBusinessMetrics } from '../../services/telemetry/business-metrics.ts';

/** The series names the worker's business metrics appear under in Prometheus (counters get `_total`). */
function workerSeries(): Set<string> {
  const names = new Set<string>();
  const instrument = { add() {}, set() {}, record() {} };
  const meter = {
    createCounter: (name: string) => (names.add(`${name}_total`), instrument),
    createGauge: (name: string) => (names.add(name), instrument),
    createHistogram: (name: string) => (['_bucket', '_count', '_sum'].forEach((s) => names.add(name + s)), instrument),
    withTags: () => meter,
  } as unknown as MetricMeter;
  createBusinessMetrics(meter);
  return names;
}

async function apiSeries(): Promise<Set<string>> {
  const metrics = await createMetrics().registry.getMetricsAsJSON();
  return new Set(metrics.flatMap((m) => (String(m.type) === 'histogram' ? ['_bucket', '_count', '_sum'].map((s) => m.name + s) : [m.name])));
}

function fulcrumSeriesIn(file: string): string[] {
  return [...new Set(readFileSync(join(projectRoot, file), 'utf8').match(/\bfulcrum_[a-z_]+\b/g) ?? [])];
}

describe('deployment references', () => {
  it('the dashboard and the alert rules name only series the API and the worker export', async () => {
    const exported = new Set([...workerSeries(), ...(await apiSeries())]);
    for (const file of ['deploy/grafana/dashboards/fulcrum.json', 'deploy/prometheus/fulcrum-alerts.yml']) {
      const referenced = fulcrumSeriesIn(file);
      expect(referenced.length, file).toBeGreaterThan(5);
      expect(referenced.filter((name) => !exported.has(name)), file).toEqual([]);
    }
  });

  it('the dashboard is a Grafana dashboard whose every panel queries Prometheus through its data-source variable', () => {
    const dashboard = JSON.parse(readFileSync(join(projectRoot, 'deploy/grafana/dashboards/fulcrum.json'), 'utf8')) as {
      uid: string;
      templating: { list: { name: string; type: string }[] };
      panels: { type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; targets?: { expr: string; datasource: { uid: string } }[] }[];
    };
    expect(dashboard.uid).toBe('fulcrum-overview');
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource' }));
    const graphs = dashboard.panels.filter((p) => p.type !== 'row');
    expect(graphs.length).toBeGreaterThan(15);
    for (const panel of graphs) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets!) expect(target.datasource.uid, panel.title).toBe('${datasource}');
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
    }
    // No two panels overlap on the grid.
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels) {
      for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
        expect(cells.has(`${x},${y}`), title).toBe(false);
        cells.add(`${x},${y}`);
      }
    }
  });

  it('every business series appears on the dashboard', () => {
    const onDashboard = new Set(fulcrumSeriesIn('deploy/grafana/dashboards/fulcrum.json'));
    expect([...workerSeries()].filter((name) => !onDashboard.has(name))).toEqual([]);
  });

  it('the chart and the Compose file give the worker the cache, heap and memory docs/deploy.md measured', () => {
    const values = readFileSync(join(projectRoot, 'deploy/helm/fulcrum/values.yaml'), 'utf8');
    const worker = values.slice(values.indexOf('\nworker:'), values.indexOf('\nmetrics:'));
    const mib = (text: string) => Number(/^(\d+)Mi$/.exec(text)?.[1] ?? /^(\d+)Gi$/.exec(text)?.[1]) * (text.endsWith('Gi') ? 1024 : 1);
    expect(Number(/maxCachedWorkflows: (\d+)/.exec(worker)?.[1])).toBe(WORKER_MEMORY.maxCachedWorkflows);
    expect(Number(/heapMiB: (\d+)/.exec(worker)?.[1])).toBe(WORKER_MEMORY.heapMiB);
    // The request is the measured bound; the limit leaves headroom above it.
    expect(mib(/requests: \{[^}]*memory: (\w+)/.exec(worker)![1]!)).toBe(WORKER_MEMORY.boundMiB);
    expect(mib(/limits: \{[^}]*memory: (\w+)/.exec(worker)![1]!)).toBeGreaterThan(WORKER_MEMORY.boundMiB);
    const template = readFileSync(join(projectRoot, 'deploy/helm/fulcrum/templates/worker.yaml'), 'utf8');
    expect(template).toContain('FULCRUM_MAX_CACHED_WORKFLOWS');
    expect(template).toContain('--max-old-space-size=%v');
    const compose = readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`FULCRUM_MAX_CACHED_WORKFLOWS: "${WORKER_MEMORY.maxCachedWorkflows}"`);
    expect(compose).toContain(`--max-old-space-size=${WORKER_MEMORY.heapMiB}`);
  });
});
