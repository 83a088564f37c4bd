import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Secrets may sit in a pot's source (webhook secret, API token headers): never logged. */
const REDACTED_PATHS = [
  '*.secret',
  '*.*.secret',
  'source.secret',
  'source.headers',
  '*.source.headers',
  'headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = { level, redact: { paths: REDACTED_PATHS, censor: '[hidden]' } };
  return destination ? pino(options, destination) : pino(options);
}
