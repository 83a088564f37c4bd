import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['*.secret', '*.*.secret', 'source.secret', 'headers.cookie'], censor: '[hidden]' },
  });
}
