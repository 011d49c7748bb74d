// Webhooks received and orders delivered per minute over the last 24 hours, as one server-rendered SVG.

const MINUTE_MS = 60_000;
const MINUTES = 24 * 60;
const WIDTH = 720; // two minutes a unit
const HEIGHT = 150;
const TOP = 14;

export interface ActivitySeries {
  label: string;
  colour: string;
  /** Epoch minute → count. */
  perMinute: Map<number, number>;
}

/** The series as one path: a step up and down per minute with anything in it, flat along the bottom otherwise. */
function pathOf(perMinute: Map<number, number>, firstMinute: number, scale: number): string {
  const x = (minute: number) => ((minute - firstMinute) * WIDTH) / MINUTES;
  const y = (n: number) => HEIGHT - Math.round(n * scale * 10) / 10;
  const parts: string[] = [`M0 ${HEIGHT}`];
  for (const minute of [...perMinute.keys()].filter((m) => m >= firstMinute).sort((a, b) => a - b)) {
    const n = perMinute.get(minute)!;
    parts.push(`L${x(minute)} ${HEIGHT}`, `L${x(minute)} ${y(n)}`, `L${x(minute + 1)} ${y(n)}`, `L${x(minute + 1)} ${HEIGHT}`);
  }
  parts.push(`L${WIDTH} ${HEIGHT}`);
  return parts.join(' ');
}

const total = (m: Map<number, number>, from: number) => [...m].reduce((sum, [minute, n]) => sum + (minute >= from ? n : 0), 0);

export function ActivityChart({ series, now }: { series: ActivitySeries[]; now: number }) {
  const firstMinute = Math.floor(now / MINUTE_MS) - MINUTES + 1;
  const peak = Math.max(1, ...series.flatMap((s) => [...s.perMinute].filter(([m]) => m >= firstMinute).map(([, n]) => n)));
  const scale = (HEIGHT - TOP) / peak;
  // A tick every six hours, labelled with the UTC hour it marks.
  const ticks = [0, 6, 12, 18, 24].map((h) => ({ x: (h * 60 * WIDTH) / MINUTES, label: h === 24 ? 'now' : `−${24 - h} h` }));
  return (
    <figure style="margin:0">
      <svg viewBox={`-2 0 ${WIDTH + 4} ${HEIGHT + 18}`} width={WIDTH} role="img" aria-label="Webhooks received and orders delivered per minute, last 24 hours">
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} fill="#fbfcfd" stroke="#dde1e6" />
        <line x1="0" x2={WIDTH} y1={TOP} y2={TOP} stroke="#eceff2" stroke-dasharray="3 3" />
        <text x="4" y={TOP - 3} font-size="10" fill="#56616d">{peak} a minute</text>
        {series.map((s) => (
          <path d={pathOf(s.perMinute, firstMinute, scale)} fill="none" stroke={s.colour} stroke-width="1.2" stroke-linejoin="round" data-series={s.label} />
        ))}
        {ticks.map((t) => (
          <>
            <line x1={t.x} x2={t.x} y1={HEIGHT} y2={HEIGHT + 4} stroke="#56616d" />
            <text x={Math.min(Math.max(t.x, 12), WIDTH - 12)} y={HEIGHT + 15} font-size="10" fill="#56616d" text-anchor="middle">{t.label}</text>
          </>
        ))}
      </svg>
      <figcaption class="hint">
        {series.map((s) => (
          <span style={`margin-right:1rem;color:${s.colour}`}>■ <span style="color:#1d2329">{s.label}: {total(s.perMinute, firstMinute)} in 24 h</span></span>
        ))}
        per minute, last 24 hours (UTC)
      </figcaption>
    </figure>
  );
}
