import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../options';

/** JSON lines with `--log-as-json` (what log collectors want); one readable line per entry otherwise. */
export function createLogger(opts: { appId: string; level: LogLevel; json: boolean }): Logger {
  const base = { app_id: opts.appId, scope: 'sidecar' };
  if (opts.json) return pino({ level: opts.level, base, timestamp: pino.stdTimeFunctions.isoTime });
  const stream = pretty({ sync: true, colorize: false, ignore: 'pid,hostname,scope', translateTime: 'SYS:HH:MM:ss.l', messageFormat: '[{app_id}] {msg}', hideObject: false });
  return pino({ level: opts.level, base }, stream);
}
