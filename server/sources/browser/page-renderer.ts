import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { chromium, type Browser, type BrowserContext, type BrowserServer, type Page, type Route, type WebSocketRoute } from 'playwright-core';
import { SECOND } from '../../../shared/time.js';
import type { AddressPolicy } from '../address-policy.js';
import { startPolicyProxy, type PolicyProxy } from './policy-proxy.js';
import { SourceFailure } from '../source-failure.js';

export interface RendererOptions {
  /** Debian's Chromium by default (CHROMIUM_PATH). */
  executablePath: string;
  /** Pages rendered at once; further renders wait their turn. */
  maxPages: number;
  /** Chromium is restarted between renders once its processes use more than this. */
  maxMemoryBytes: number;
  /** Restarted after so many renders too, so that a slow leak in a page never adds up. */
  maxRenders: number;
}

export const DEFAULT_RENDERER_OPTIONS: RendererOptions = {
  executablePath: '/usr/bin/chromium',
  maxPages: 4,
  maxMemoryBytes: 1024 * 1024 * 1024,
  maxRenders: 500,
};

export interface RenderRequest {
  url: string;
  timeoutMs: number;
  headers: Record<string, string>;
  userAgent: string;
  /** Where the page and everything it loads may go; anywhere when absent. */
  policy?: AddressPolicy | undefined;
  /** Says, given the page's HTML so far, whether it shows what is wanted: rendering then stops early. */
  ready(html: string): boolean;
  signal: AbortSignal;
}

export interface RenderedPage {
  status: number;
  html: string;
  /** Whether `ready` said yes before the time ran out. */
  ready: boolean;
}

export interface RendererStats {
  running: boolean;
  openPages: number;
  waiting: number;
  renders: number;
  /** Memory used by Chromium's processes, when it runs. */
  memoryBytes: number | null;
}

/** What a page does not need to show its figures, and would cost memory and bandwidth. */
const BLOCKED_RESOURCES = new Set(['image', 'media', 'font']);
const DOM_CHECK_MS = 200;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--mute-audio',
];

/** The pages kept open, warm, for the renders of one browser context. */
interface ContextPool {
  context: BrowserContext;
  idle: Page[];
}

/**
 * One headless Chromium shared by every page source of the process, started on first use,
 * with a bounded number of pages open at once. Pages are kept between renders (opening one
 * costs far more than reading it again), in a context per user agent and address policy, with
 * images, media and fonts blocked and, for sources made through the API, every request
 * checked against the address policy and every connection made through its proxy. Memory is watched: Chromium is restarted between
 * renders when it grows too big.
 */
export class PageRenderer {
  private server: BrowserServer | undefined;
  private browser: Promise<Browser> | undefined;
  private readonly pools = new Map<string, Promise<ContextPool>>();
  private openPages = 0;
  private readonly queue: Array<() => void> = [];
  private renders = 0;
  private rendersSinceStart = 0;
  private closed = false;
  /** One proxy per address policy, started with the first render that needs it. */
  private readonly proxies = new Map<AddressPolicy, Promise<PolicyProxy>>();

  constructor(
    private readonly logger: Logger,
    private readonly options: RendererOptions = DEFAULT_RENDERER_OPTIONS,
  ) {}

  async render(request: RenderRequest): Promise<RenderedPage> {
    if (!existsSync(this.options.executablePath)) {
      throw new SourceFailure(
        `the page needs a browser to show its figures, and headless Chromium is not installed at ${this.options.executablePath}: ` +
          'install it (on Debian: apt install chromium) or set CHROMIUM_PATH',
      );
    }
    await this.turn(request.signal);
    try {
      const browser = await this.started();
      return await this.renderIn(browser, request);
    } finally {
      this.openPages--;
      this.renders++;
      this.rendersSinceStart++;
      await this.restartIfHeavy();
      this.queue.shift()?.();
    }
  }

  stats(): RendererStats {
    return {
      running: this.server !== undefined,
      openPages: this.openPages,
      waiting: this.queue.length,
      renders: this.renders,
      memoryBytes: this.server ? processTreeMemory(this.server.process().pid) : null,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
    const proxies = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(proxies.map(async (proxy) => (await proxy).close()));
  }

  private proxyFor(policy: AddressPolicy): Promise<PolicyProxy> {
    let proxy = this.proxies.get(policy);
    if (!proxy) {
      proxy = startPolicyProxy(policy);
      this.proxies.set(policy, proxy);
    }
    return proxy;
  }

  /** Waits for a free page; gives up when the source stops. */
  private turn(signal: AbortSignal): Promise<void> {
    if (this.openPages < this.options.maxPages) {
      this.openPages++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        signal.removeEventListener('abort', giveUp);
        this.openPages++;
        resolve();
      };
      const giveUp = () => {
        const index = this.queue.indexOf(start);
        if (index >= 0) this.queue.splice(index, 1);
        reject(new SourceFailure('stopped'));
      };
      signal.addEventListener('abort', giveUp, { once: true });
      this.queue.push(start);
    });
  }

  private started(): Promise<Browser> {
    if (this.closed) throw new SourceFailure('stopped');
    this.browser ??= (async () => {
      const server = await chromium.launchServer({ executablePath: this.options.executablePath, args: CHROMIUM_ARGS });
      this.server = server;
      this.rendersSinceStart = 0;
      server.process().once('exit', () => {
        if (this.server === server) {
          this.server = undefined;
          this.browser = undefined;
        }
      });
      this.logger.info({ pid: server.process().pid }, 'headless Chromium started for page sources');
      return chromium.connect(server.wsEndpoint());
    })().catch((error: unknown) => {
      this.browser = undefined;
      this.logger.error({ err: error }, 'headless Chromium did not start');
      throw new SourceFailure(`headless Chromium did not start (${(error as Error).message.split('\n')[0]})`);
    });
    return this.browser;
  }

  private poolFor(browser: Browser, request: RenderRequest): Promise<ContextPool> {
    const key = JSON.stringify([request.userAgent, request.policy !== undefined]);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = (async () => {
        const proxy = request.policy ? await this.proxyFor(request.policy) : undefined;
        const context = await browser.newContext({
          userAgent: request.userAgent,
          serviceWorkers: 'block',
          acceptDownloads: false,
          // Every connection through the policy's proxy, loopback included (Chromium bypasses proxies for it by default).
          ...(proxy ? { proxy: { server: proxy.url, bypass: '<-loopback>' } } : {}),
        });
        await context.route('**/*', (route) => this.filter(route, request.policy));
        // Routes do not see WebSockets: a page's script could otherwise reach any address through one.
        await context.routeWebSocket(/.*/, (socket) => this.filterWebSocket(socket, request.policy));
        return { context, idle: [] };
      })();
      pool.catch(() => this.pools.delete(key));
      this.pools.set(key, pool);
    }
    return pool;
  }

  private async renderIn(browser: Browser, request: RenderRequest): Promise<RenderedPage> {
    const pool = await this.poolFor(browser, request);
    const page = pool.idle.pop() ?? (await pool.context.newPage());
    let reusable = true;
    const stop = () => {
      reusable = false;
      void page.close().catch(() => undefined);
    };
    request.signal.addEventListener('abort', stop, { once: true });
    try {
      await page.setExtraHTTPHeaders(request.headers);
      const deadline = Date.now() + request.timeoutMs;
      let status = 0;
      try {
        const response = await page.goto(request.url, { waitUntil: 'commit', timeout: request.timeoutMs });
        status = response?.status() ?? 0;
      } catch (error) {
        if (request.signal.aborted) throw new SourceFailure('stopped');
        throw new SourceFailure(`${new URL(request.url).host} could not be loaded in the browser (${firstLine(error)})`);
      }
      // The page is read as soon as it shows what is wanted: a page that never finishes loading
      // (a stream, a widget that keeps polling) still gives its figures.
      let html = '';
      while (!request.signal.aborted) {
        html = await page.content().catch(() => html);
        if (request.ready(html)) return { status, html, ready: true };
        if (Date.now() >= deadline) break;
        await page.waitForTimeout(Math.min(DOM_CHECK_MS, Math.max(0, deadline - Date.now())));
      }
      if (request.signal.aborted) throw new SourceFailure('stopped');
      return { status, html, ready: false };
    } catch (error) {
      reusable = false;
      throw error;
    } finally {
      request.signal.removeEventListener('abort', stop);
      // Left on a blank page, so that a page that never stops loading stops now.
      reusable &&= await page.goto('about:blank').then(() => true, () => false);
      if (reusable) pool.idle.push(page);
      else await page.close().catch(() => undefined);
    }
  }

  private async filter(route: Route, policy: AddressPolicy | undefined): Promise<void> {
    const request = route.request();
    if (BLOCKED_RESOURCES.has(request.resourceType())) return route.abort('blockedbyclient');
    const url = request.url();
    if (!/^https?:/.test(url)) return url.startsWith('data:') ? route.continue() : route.abort('blockedbyclient');
    if (policy && (await policy.check(url))) return route.abort('addressunreachable');
    return route.continue();
  }

  private async filterWebSocket(socket: WebSocketRoute, policy: AddressPolicy | undefined): Promise<void> {
    const url = new URL(socket.url());
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    if (policy && (await policy.check(url.href))) return socket.close({ code: 1008, reason: 'address refused' });
    socket.connectToServer();
  }

  private async restartIfHeavy(): Promise<void> {
    if (!this.server || this.openPages > 0) return;
    const memory = processTreeMemory(this.server.process().pid);
    const heavy = memory !== null && memory > this.options.maxMemoryBytes;
    if (!heavy && this.rendersSinceStart < this.options.maxRenders) return;
    this.logger.info({ memoryBytes: memory, renders: this.rendersSinceStart }, 'restarting headless Chromium');
    await this.stop();
  }

  private async stop(): Promise<void> {
    const browser = this.browser;
    const server = this.server;
    this.browser = undefined;
    this.server = undefined;
    this.pools.clear();
    await (await browser?.catch(() => undefined))?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
  }
}

function firstLine(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n')[0]!.replace(/^page\.goto: /, '');
}

/** Memory of a process and all its descendants (Linux /proc), or null where it cannot be read. */
export function processTreeMemory(rootPid: number | undefined): number | null {
  if (rootPid === undefined || !existsSync('/proc/self/stat')) return null;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while the list was read.
    }
  }
  let total = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    try {
      // Proportional set size: Chromium's processes share much of their memory, which their
      // resident sizes would count once per process.
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      total += pss ? Number(pss[1]) * 1024 : 0;
    } catch {
      continue;
    }
    pending.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** How long a page source waits for a rendered page by default. */
export const DEFAULT_RENDER_TIMEOUT_MS = 20 * SECOND;
