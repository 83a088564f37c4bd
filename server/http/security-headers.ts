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

export const isEmbedPath = (path: string): boolean => path.startsWith('/embed/');

/** Applied to every response, so that a route added later cannot forget it. */
export const securityHeaders: RequestHandler = (req, res, next) =>
  (isEmbedPath(req.path) ? embedPageHeaders : sitePageHeaders)(req, res, next);

/**
 * For what other sites load from us (the snippet's script, the chart image, oEmbed):
 * helmet's default `Cross-Origin-Resource-Policy: same-origin` would make browsers drop them.
 */
export const sharedWithOtherSites: RequestHandler = (_req, res, next) => {
  res.set({ 'Cross-Origin-Resource-Policy': 'cross-origin', 'Access-Control-Allow-Origin': '*' });
  next();
};
