import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';

const TWINS = { br: '.br', gzip: '.gz' } as const;

/**
 * The file to send for `filePath`: its brotli or gzip twin written at build time
 * (client/build/precompress-plugin.ts) when the browser accepts it, with the headers that
 * say so, else the file itself. Either way caches learn that the answer depends on
 * Accept-Encoding.
 */
export function choosePrecompressed(req: Request, res: Response, filePath: string): string {
  res.vary('Accept-Encoding');
  const encoding = req.acceptsEncodings('br', 'gzip');
  if (encoding !== 'br' && encoding !== 'gzip') return filePath;
  const twin = filePath + TWINS[encoding];
  if (!existsSync(twin)) return filePath;
  res.type(path.extname(filePath));
  res.set('Content-Encoding', encoding);
  return twin;
}

/** For a folder of flat, hashed file names (the built /assets), in front of express.static. */
export function precompressedAssets(root: string, sendOptions: { maxAge: string; immutable: boolean }): RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/^\/[\w.-]+$/.test(req.path)) return next();
    const filePath = path.join(root, req.path);
    const chosen = choosePrecompressed(req, res, filePath);
    if (chosen === filePath) return next();
    res.sendFile(chosen, sendOptions, (error) => {
      if (error) next(error);
    });
  };
}
