import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        '*.secret',
        '*.*.secret',
        'source.secret',
        'source.headers',
        '*.source.headers',
        'headers.cookie',
        'headers.authorization',
        '*.headers.authorization',
      ],
      censor: '[hidden]',
    },
  });
}
