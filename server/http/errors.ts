import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ApiErrorBody } from '../../shared/types.js';
import { storageUnavailable } from '../db/storage-errors.js';

/** An error meant for the client, with its HTTP status and a stable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function sendError(res: Response, status: number, code: string, message: string, field?: string): void {
  const body: ApiErrorBody = { error: { code, message, ...(field ? { field } : {}) } };
  res.status(status).json(body);
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Turns any thrown error into the JSON error shape; never leaks internals for a 5xx. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpError) {
      sendError(res, error.status, error.code, error.message, error.field);
      return;
    }
    const parserError = error as BodyParserError;
    switch (parserError.type) {
      case 'entity.too.large':
        sendError(res, 413, 'body_too_large', 'the request body is over the size limit', 'body');
        return;
      case 'entity.parse.failed':
        sendError(res, 400, 'invalid_json', 'the request body is not valid JSON', 'body');
        return;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        sendError(res, 415, 'unsupported_encoding', parserError.message);
        return;
      case 'request.aborted':
        return;
    }
    if (parserError.status && parserError.status >= 400 && parserError.status < 500) {
      sendError(res, parserError.status, 'bad_request', parserError.message);
      return;
    }
    const unavailable = storageUnavailable(error);
    if (unavailable) {
      logger.warn({ err: error, method: req.method, url: req.originalUrl }, 'database unavailable');
      res.set('Retry-After', String(unavailable.retryAfterSeconds));
      sendError(res, 503, 'storage_unavailable', `${unavailable.reason}: nothing was changed, try again later`);
      return;
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    sendError(res, 500, 'internal_error', 'something went wrong on the server');
  };
}
