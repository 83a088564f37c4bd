import { onTestFinished } from 'vitest';

/** What a test opens: a test server, a viewer's socket, a raw WebSocket, a stand-in site, a browser context. */
export type Closable = { dispose(): unknown } | { disconnect(): unknown } | { destroy(): unknown } | { close(): unknown };

/**
 * Hands `resource` back, and closes it once the running test has finished, passed or failed:
 * a test server is disposed of (its folder too), a socket disconnected, anything else closed.
 * The last opened is closed first, so viewers go before the server they watch, and the server
 * before the stand-in sites it polls.
 */
export function closeAfterTest<T extends Closable>(resource: T): T {
  onTestFinished(async () => {
    if ('dispose' in resource) await resource.dispose();
    else if ('disconnect' in resource) resource.disconnect();
    else if ('destroy' in resource) resource.destroy();
    else await resource.close();
  });
  return resource;
}
