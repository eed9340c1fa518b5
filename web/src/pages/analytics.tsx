// KPIs over time: one chart per chosen metric from GET /v1/analytics/timeseries.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api.ts';
import { BarChart } from '../chart.tsx';
import type { operations } from '../../../clients/typescript/index.ts';

type Metric = NonNullable<operations['analyticsTimeseries']['parameters']['query']>['metric'];
// A title and a format for every metric the API offers (a new one is a type error here).
const METRICS: Record<Metric, { title: string; format(v: number): string }> = {
  orders: { title: 'Orders', format: (v: number) => String(Math.round(v)) },
  cycle_time_p50: { title: 'Cycle time p50 (hours)', format: (v: number) => v.toFixed(1) },
  cycle_time_p90: { title: 'Cycle time p90 (hours)', format: (v: number) => v.toFixed(1) },
  fill_rate: { title: 'Fill rate', format: (v: number) => `${(v * 100).toFixed(1)}%` },
  split_rate: { title: 'Split rate', format: (v: number) => `${(v * 100).toFixed(1)}%` },
  on_time_rate: { title: 'On-time rate', format: (v: number) => `${(v * 100).toFixed(1)}%` },
  pickup_expiry_rate: { title: 'Pickup expiry rate', format: (v: number) => `${(v * 100).toFixed(1)}%` },
  cost_per_order: { title: 'Shipping cost per order', format: (v: number) => (v / 100).toFixed(2) },
};
const PERIODS = { '1': 'Last 24 hours', '7': 'Last 7 days', '30': 'Last 30 days', '90': 'Last 90 days' } as const;

export function AnalyticsPage() {
  const [metric, setMetric] = useState<Metric>('orders');
  const [days, setDays] = useState<keyof typeof PERIODS>('7');
  const bucket = days === '1' ? 'hour' : days === '90' ? 'week' : 'day';
  const series = useQuery({
    queryKey: ['timeseries', metric, days],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - Number(days) * 86_400_000);
      return must(api.GET('/v1/analytics/timeseries', { params: { query: { metric, bucket, from: from.toISOString(), to: to.toISOString() } } }));
    },
    refetchInterval: 60_000,
  });
  const label = (start: string) => (bucket === 'hour' ? new Date(start).toLocaleTimeString([], { hour: '2-digit' }) : new Date(start).toLocaleDateString([], { month: 'short', day: 'numeric' }));
  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">Analytics</h1>
      <div className="filters">
        <label>
          Metric
          <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
            {Object.entries(METRICS).map(([id, m]) => <option key={id} value={id}>{m.title}</option>)}
          </select>
        </label>
        <label>
          Period
          <select value={days} onChange={(e) => setDays(e.target.value as keyof typeof PERIODS)}>
            {Object.entries(PERIODS).map(([id, name]) => <option key={id} value={id}>{name}</option>)}
          </select>
        </label>
      </div>
      {series.error && <p role="alert" className="error">{series.error.message}</p>}
      {series.data && <BarChart title={METRICS[metric].title} points={series.data.points} format={METRICS[metric].format} label={label} />}
    </section>
  );
}
