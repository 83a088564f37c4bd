import express, { type RequestHandler } from 'express';
import { HttpError } from './errors.js';

/** Parses a JSON body of at most `limit`; anything but application/json is refused with 415. */
export function jsonBody(limit = '64kb'): RequestHandler[] {
  return [
    express.json({ limit, type: 'application/json', strict: true }),
    (req, _res, next) => {
      if (!req.is('application/json')) {
        throw new HttpError(415, 'unsupported_media_type', 'send a JSON body with Content-Type: application/json');
      }
      next();
    },
  ];
}
