import { ComponentConfigError } from '../errors';
import { parseDuration } from '../duration';

/**
 * Typed reads of a component's resolved metadata (`name → string`). Each component parses its metadata once,
 * at init, through these, so a bad value is a clear error that names the component and the field.
 * Field names are matched case-insensitively, as daprd's metadata decoder does.
 */
export class ComponentMetadata {
  private readonly values = new Map<string, string>();

  constructor(
    readonly componentName: string,
    raw: Record<string, string>,
  ) {
    for (const [key, value] of Object.entries(raw)) this.values.set(key.toLowerCase(), value);
  }

  has(name: string): boolean {
    const v = this.values.get(name.toLowerCase());
    return v !== undefined && v !== '';
  }

  string(name: string, fallback?: string): string | undefined {
    const v = this.values.get(name.toLowerCase());
    return v === undefined || v === '' ? fallback : v;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new ComponentConfigError(this.componentName, `${name} is required`);
    return v;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.string(name);
    if (v === undefined) return fallback;
    const lower = v.toLowerCase();
    if (['true', '1', 't', 'yes', 'y'].includes(lower)) return true;
    if (['false', '0', 'f', 'no', 'n'].includes(lower)) return false;
    throw new ComponentConfigError(this.componentName, `${name} must be a boolean, got '${v}'`);
  }

  int(name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v.trim())) throw new ComponentConfigError(this.componentName, `${name} must be an integer, got '${v}'`);
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min) throw new ComponentConfigError(this.componentName, `${name} must be ≥ ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) throw new ComponentConfigError(this.componentName, `${name} must be ≤ ${opts.max}, got ${n}`);
    return n;
  }

  /** A Go duration ("500ms", "1m30s") or a bare number of `unitMs` milliseconds; returns milliseconds. */
  durationMs(name: string, fallbackMs: number, unitMs = 1000): number {
    const v = this.string(name);
    if (v === undefined) return fallbackMs;
    if (/^\d+$/.test(v.trim())) return Number(v) * unitMs;
    try {
      return parseDuration(v);
    } catch {
      throw new ComponentConfigError(this.componentName, `${name} must be a duration such as 5s or 500ms, got '${v}'`);
    }
  }

  enumOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.string(name);
    if (v === undefined) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!match) throw new ComponentConfigError(this.componentName, `${name} must be one of ${allowed.join(', ')}, got '${v}'`);
    return match;
  }
}
