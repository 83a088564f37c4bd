import { EMBED_DEFAULTS, EMBED_FRAME_SANDBOX, EMBED_OPTION_NAMES, estimatedFrameHeight } from '../../../shared/embed-options.js';
import { hostCommandMessage, readEmbedMessage, type HostCommand } from './messages.js';

/**
 * `/embed.js`, the host-page script of the newsroom snippets:
 *   <div data-potwatch="POT_ID" data-theme="dark"></div>
 *   <potwatch-chart pot="POT_ID" theme="auto"></potwatch-chart>
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

function initialHeight(read: (name: string) => string | null): number {
  return estimatedFrameHeight({
    height: Number(read('height')) || EMBED_DEFAULTS.height,
    counters: read('counters') !== '0',
  });
}

/** The embed's frame for a pot, its options read by name from the element that asks for it. */
function embedFrame(origin: string, potId: string, read: (name: string) => string | null, label: string | null): HTMLIFrameElement {
  const params = new URLSearchParams();
  for (const name of EMBED_OPTION_NAMES) {
    const value = read(name);
    if (value !== null) params.set(name, value);
  }
  const query = params.toString();
  const frame = document.createElement('iframe');
  frame.src = `${origin}/embed/${encodeURIComponent(potId)}${query ? `?${query}` : ''}`;
  frame.title = label ?? `Potwatch: ${potId}`;
  frame.loading = 'lazy';
  frame.setAttribute('sandbox', EMBED_FRAME_SANDBOX);
  frame.style.cssText = `display:block;width:100%;border:0;height:${initialHeight(read)}px`;
  if (label !== null) frame.dataset.potwatchLabel = '';
  return frame;
}

function mount(container: HTMLElement, origin: string): void {
  const potId = container.dataset.potwatch;
  if (!potId || 'potwatchMounted' in container.dataset) return;
  container.dataset.potwatchMounted = '';
  container.replaceChildren(embedFrame(origin, potId, (name) => container.getAttribute(`data-${name}`), container.dataset.label ?? null));
}


/**
 * `<potwatch-chart pot="…" theme="auto" lang="fr" …>`: the embed's options as attributes.
 * `theme="auto"` (or none) follows the host page's colour scheme as it changes; changing
 * `theme` or `lang` later switches the running embed without reloading it, and changing any
 * other attribute loads the embed again with it.
 */
function chartElement(origin: string): CustomElementConstructor {
  // One query for every element: a listener is removed from the list it was added to.
  const darkHost = matchMedia('(prefers-color-scheme: dark)');
  return class PotwatchChart extends HTMLElement {
    static observedAttributes = ['pot', 'label', ...EMBED_OPTION_NAMES];
    private frame: HTMLIFrameElement | undefined;
    private readonly followHost = () => this.sendTheme();

    connectedCallback(): void {
      if (!this.frame) this.load();
      darkHost.addEventListener('change', this.followHost);
    }

    disconnectedCallback(): void {
      darkHost.removeEventListener('change', this.followHost);
    }

    attributeChangedCallback(name: string, before: string | null, after: string | null): void {
      if (!this.frame || before === after) return;
      if (name === 'theme') this.sendTheme();
      else if (name === 'lang' && (after === 'en' || after === 'fr')) this.send({ lang: after });
      else this.load();
    }

    private load(): void {
      const potId = this.getAttribute('pot');
      if (!potId) return;
      // Drawn in the host's scheme from the first paint; later changes are sent to the running frame.
      this.frame = embedFrame(origin, potId, (name) => (name === 'theme' ? this.theme() : this.getAttribute(name)), this.getAttribute('label'));
      this.frame.addEventListener('load', () => this.sendTheme());
      this.style.display = 'block';
      this.replaceChildren(this.frame);
    }

    private theme(): 'light' | 'dark' {
      const asked = this.getAttribute('theme');
      return asked === 'light' || asked === 'dark' ? asked : darkHost.matches ? 'dark' : 'light';
    }

    private sendTheme(): void {
      this.send({ theme: this.theme() });
    }

    private send(command: HostCommand): void {
      this.frame?.contentWindow?.postMessage(hostCommandMessage(command), origin);
    }
  };
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
  if (!customElements.get('potwatch-chart')) customElements.define('potwatch-chart', chartElement(origin));
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', scan);
  scan();
  return { scan };
}

// A page with several snippets loads this script several times: install once, scan each time.
if (window.potwatch) window.potwatch.scan();
else window.potwatch = install();
