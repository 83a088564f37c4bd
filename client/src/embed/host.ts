import { EMBED_DEFAULTS, EMBED_FRAME_SANDBOX, EMBED_OPTION_NAMES, estimatedFrameHeight } from '../../../shared/embed-options.js';
import { readEmbedMessage } from './messages.js';

/**
 * `/embed.js`, the host-page script of the newsroom snippet:
 *   <div data-potwatch="POT_ID" data-theme="dark"></div>
 *   <script src="https://HOST/embed.js" async></script>
 * Turns every such element into a lazily loaded iframe of the embed, named for screen
 * readers, and sizes each of our frames (also hand-written or oEmbed ones) from the height
 * messages they send. Only messages from our own origin are heard.
 */

interface PotwatchGlobal {
  scan(): void;
}

declare global {
  interface Window {
    potwatch?: PotwatchGlobal;
  }
}

function scriptOrigin(): string {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src$="/embed.js"]');
  return new URL(script?.src ?? '/', location.href).origin;
}

function initialHeight(container: HTMLElement): number {
  return estimatedFrameHeight({
    height: Number(container.dataset.height) || EMBED_DEFAULTS.height,
    counters: container.dataset.counters !== '0',
  });
}

function mount(container: HTMLElement, origin: string): void {
  const potId = container.dataset.potwatch;
  if (!potId || 'potwatchMounted' in container.dataset) return;
  container.dataset.potwatchMounted = '';
  const params = new URLSearchParams();
  for (const name of EMBED_OPTION_NAMES) {
    const value = container.getAttribute(`data-${name}`);
    if (value !== null) params.set(name, value);
  }
  const query = params.toString();
  const frame = document.createElement('iframe');
  frame.src = `${origin}/embed/${encodeURIComponent(potId)}${query ? `?${query}` : ''}`;
  frame.title = container.dataset.label ?? `Potwatch: ${potId}`;
  frame.loading = 'lazy';
  frame.setAttribute('sandbox', EMBED_FRAME_SANDBOX);
  frame.style.cssText = `display:block;width:100%;border:0;height:${initialHeight(container)}px`;
  if (container.dataset.label) frame.dataset.potwatchLabel = '';
  container.replaceChildren(frame);
}

function install(): PotwatchGlobal {
  const origin = scriptOrigin();
  const prefix = `${origin}/embed/`;
  const scan = () => {
    for (const container of document.querySelectorAll<HTMLElement>('[data-potwatch]')) mount(container, origin);
  };
  addEventListener('message', (event) => {
    if (event.origin !== origin) return;
    const message = readEmbedMessage(event.data);
    if (!message) return;
    for (const frame of document.querySelectorAll('iframe')) {
      if (frame.contentWindow !== event.source || !frame.src.startsWith(prefix)) continue;
      if (message.height !== undefined) frame.style.height = `${message.height}px`;
      if (message.title !== undefined && !('potwatchLabel' in frame.dataset)) frame.title = message.title;
    }
  });
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', scan);
  scan();
  return { scan };
}

// A page with several snippets loads this script several times: install once, scan each time.
if (window.potwatch) window.potwatch.scan();
else window.potwatch = install();
