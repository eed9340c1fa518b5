// A bar chart of one series as SVG (no script, no inline style: the console's CSP holds), with
// the same numbers as a table for screen readers and for reading exact values.
export interface Point {
  start: string;
  value: number | null;
}

const W = 720;
const H = 240;
const PAD = { left: 48, right: 8, top: 12, bottom: 28 };

export function BarChart({ title, points, format, label }: { title: string; points: readonly Point[]; format(value: number): string; label(start: string): string }) {
  const values = points.map((p) => p.value ?? 0);
  const max = Math.max(...values, 0) || 1;
  const width = (W - PAD.left - PAD.right) / Math.max(points.length, 1);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  const every = Math.ceil(points.length / 8);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}, ${points.length} periods; the table below has the values`}>
        <line x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} className="axis" />
        <text x={PAD.left - 6} y={y(max) + 4} className="tick" textAnchor="end">{format(max)}</text>
        <text x={PAD.left - 6} y={y(0)} className="tick" textAnchor="end">{format(0)}</text>
        {points.map((p, i) => (
          <g key={p.start}>
            {p.value !== null && <rect x={PAD.left + i * width + 1} y={y(p.value)} width={Math.max(width - 2, 1)} height={y(0) - y(p.value)} className="bar" />}
            {i % every === 0 && <text x={PAD.left + i * width + width / 2} y={H - 8} className="tick" textAnchor="middle">{label(p.start)}</text>}
          </g>
        ))}
      </svg>
      <figcaption>{title}</figcaption>
      <details>
        <summary>Values</summary>
        <table>
          <thead><tr><th scope="col">Period</th><th scope="col">{title}</th></tr></thead>
          <tbody>
            {points.map((p) => <tr key={p.start}><td>{label(p.start)}</td><td>{p.value === null ? '—' : format(p.value)}</td></tr>)}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
