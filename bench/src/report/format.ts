import type { LatencySummary } from '../load/histogram';
import type { Measured, RampStep } from '../load/measure';

/** A section's results, or why it has none. */
export type Section<T> = T | { notMeasured: string };

// How figures are written in the report: milliseconds to the microsecond, signed differences, MB.

export const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(3));
export const ms2 = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(2));
export const mb = (v: number) => `${v.toFixed(1)} MB`;
export const plus = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
export const measured = <T>(s: Section<T>): s is T => !(typeof s === 'object' && s !== null && 'notMeasured' in s);
export const failures = (m: Measured) => (m.errors + m.dropped + m.timeouts === 0 ? '0' : `**${m.errors} err / ${m.dropped} dropped / ${m.timeouts} timed out**`);

export function latencyRow(name: string, m: Measured, extra: string[] = []): string {
  const l = m.latency;
  return `| ${name} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.mean)} | ${m.ok} | ${failures(m)} |${extra.map((e) => ` ${e} |`).join('')}`;
}

export function added(a: LatencySummary, base: LatencySummary): string {
  return `${plus(a.p50 - base.p50)} / ${plus(a.p90 - base.p90)} / ${plus(a.p99 - base.p99)}`;
}

export function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'not measured' : ok ? 'met' : '**not met**';
}

export const LATENCY_HEAD = ['| Path | p50 | p90 | p99 | p99.9 | mean | ok | failed |', '|---|---|---|---|---|---|---|---|'];

export function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${ms(sorted[0])} – ${ms(sorted[Math.floor(sorted.length / 2)])} – ${ms(sorted[sorted.length - 1])}`;
}

export function failingStep(steps: RampStep[]): string {
  const f = steps[steps.length - 1];
  if (!f || f.sustained) return 'none up to the cap';
  const why = [f.errors && `${f.errors} errors`, f.dropped && `${f.dropped} dropped`, f.timeouts && `${f.timeouts} timed out`].filter(Boolean).join(', ');
  return `${f.rate}/s: achieved ${Math.round(f.achievedRate)}/s, p50 ${ms2(f.p50)} ms, p99 ${ms2(f.p99)} ms${why ? `, ${why}` : ''}`;
}
