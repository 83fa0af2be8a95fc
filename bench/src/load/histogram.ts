import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

/** Latency percentiles in milliseconds, read off a microsecond histogram. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Microsecond resolution (3 significant digits) from 1 µs up to one minute. */
export function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
}

export function recordNs(histogram: Histogram, ns: bigint): void {
  histogram.recordValue(Math.max(1, Math.round(Number(ns) / 1000)));
}

export function summarise(histogram: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

export function encode(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/** Merges encoded histograms (one per round) into one. */
export function mergeEncoded(encoded: string[]): Histogram {
  const total = newHistogram();
  for (const text of encoded) total.add(decodeFromCompressedBase64(text));
  return total;
}
