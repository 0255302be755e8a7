import pino from 'pino';
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

/**
 * The process's one pino logger, JSON to stdout. Log messages carry ids and counts, never document
 * text or field values.
 */
export function createLogger(level: pino.Level) {
  return pino({ level, base: { service: 'docket-worker' } });
}

const pinoLevel: Record<LogLevel, pino.Level> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's and the workflows'/activities' logs into the pino logger. */
export function temporalLoggerFor(logger: pino.Logger, level: LogLevel): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    logger[pinoLevel[entry.level]]({ ...entry.meta }, entry.message);
  });
}
