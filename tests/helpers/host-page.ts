import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

export interface HostSite {
  /** Origin of the site, e.g. http://127.0.0.1:41234 (another origin than Potwatch's). */
  url: string;
  /** Serves `html` at `path` from now on. */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

/**
 * A stand-in for a newsroom's site: a separate local HTTP server, hence another origin,
 * serving the article pages a test gives it. Every page records the messages it receives
 * in `window.received` as `{origin, data}`.
 */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  const recorder =
    '<script>window.received=[];addEventListener("message",function(e){window.received.push({origin:e.origin,data:e.data})});</script>';
  const server: Server = createServer((req, res) => {
    const html = pages.get(req.url ?? '');
    res.writeHead(html === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      html === undefined
        ? 'not found'
        : `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title><link rel="icon" href="data:,">${recorder}</head>` +
            `<body style="max-width:640px;margin:1rem auto;font-family:serif"><p>Article text.</p>${html}<p>More text.</p></body></html>`,
    );
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    page(path, html) {
      pages.set(path, html);
      return `${url}${path}`;
    },
    close,
  };
}
