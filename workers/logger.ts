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

/**
 * An error as a log may show it: name, message, stack, failure type and cause, nothing else. The SDK
 * logs failed activities with the error object itself, and AWS SDK errors carry every member of the
 * error response as an enumerable property (S3 puts the object's `Key` there): serialised as they
 * are, they would write keys and request details into the log.
 */
export function loggableError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const type = (err as { type?: unknown }).type;
  return {
    name: err.name,
    message: err.message,
    ...(typeof type === 'string' ? { type } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
    ...(err.cause !== undefined && depth < 5 ? { cause: loggableError(err.cause, depth + 1) } : {}),
  };
}

/** Routes the Temporal SDK's and the workflows'/activities' logs into the pino logger. */
export function temporalLoggerFor(logger: pino.Logger, level: LogLevel): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const meta = Object.fromEntries(Object.entries(entry.meta ?? {}).map(([k, v]) => [k, loggableError(v)]));
    logger[pinoLevel[entry.level]](meta, entry.message);
  });
}
