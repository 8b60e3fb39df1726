import pino from 'pino';

/** The logging calls the server makes: pino's signature, so a pino logger fits as is. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** A pino logger at `level` (default `info`; `silent` for none). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'switchyard' } });
}

/** A logger that drops everything. */
export const silentLogger: Logger = pino({ level: 'silent' });
