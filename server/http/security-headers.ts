import type { RequestHandler } from 'express';
import helmet from 'helmet';

const contentSecurityPolicy = (frameAncestors: string[]) => ({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // chart.js and Svelte transitions set inline style attributes.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors,
  },
});

/** Every page but the embed: may only be framed by Potwatch itself. */
export const sitePageHeaders = helmet({
  contentSecurityPolicy: contentSecurityPolicy(["'self'"]),
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
});

/** The embed: any site may frame it. */
export const embedPageHeaders = helmet({
  contentSecurityPolicy: contentSecurityPolicy(['*']),
  frameguard: false,
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
});

/**
 * The site's headers on every response — API, health check, assets, errors — but the embed
 * page, whose route sets its own.
 */
export const siteHeadersOutsideEmbed: RequestHandler = (req, res, next) => {
  if (req.path.startsWith('/embed/')) next();
  else sitePageHeaders(req, res, next);
};
