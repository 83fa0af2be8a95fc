const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration string ("300ms", "1.5h", "2h45m", "0") into milliseconds, as Dapr's resources use them. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== s.length) throw new Error(`invalid duration '${text}'`);
  return total;
}

/** Parses a Kubernetes-style quantity ("4Mi", "512Ki", "16M", "1048576") into bytes. */
export function parseByteQuantity(text: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|K|M|G|k)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid size '${text}' (use a number of bytes or a quantity such as 4Mi)`);
  const factor: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1000, K: 1000, M: 1e6, G: 1e9 };
  return Number(m[1]) * factor[m[2] ?? '']!;
}
