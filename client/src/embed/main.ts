import { hydrate, mount } from 'svelte';
import { EMBED_DATA_ELEMENT_ID, EMBED_DEFAULTS, parseEmbedOptions, type EmbedPageData } from '../../../shared/embed-options.js';
import '../lib/theme.css';
import { parseCompareQuery, type ComparePageData } from '../../../shared/compare.js';
import { preferredLanguage, setLanguage } from '../lib/i18n.svelte.js';
import { setPageTheme } from '../lib/page-theme.svelte.js';
import { readHostCommand } from './messages.js';
import CompareEmbed from './CompareEmbed.svelte';
import Embed from './Embed.svelte';

const params = new URLSearchParams(location.search);
const potId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
// The server has already refused invalid options; this only guards against a stale page.
const parsed = parseEmbedOptions(params);
const options = parsed.ok ? parsed.options : EMBED_DEFAULTS;
// What the server drew the page with; absent when the page comes from the development server.
const drawn = document.getElementById(EMBED_DATA_ELEMENT_ID);
const drawnData = drawn ? (JSON.parse(drawn.textContent ?? 'null') as EmbedPageData | ComparePageData | null) : null;

if (options.theme !== 'auto') setPageTheme(options.theme);
// The language the page was drawn in, so that taking it over changes no word.
setLanguage(options.lang ?? drawnData?.lang ?? preferredLanguage(), false);

// The host page may switch theme and language while the embed runs (see messages.ts). Only the
// page that holds the frame is heard; what it can change is harmless to everyone else.
addEventListener('message', (event) => {
  if (event.source !== window.parent || window.parent === window) return;
  const command = readHostCommand(event.data);
  if (command?.theme) setPageTheme(command.theme);
  if (command?.lang) setLanguage(command.lang, false);
});

const target = document.getElementById('embed')!;
const childId = params.get('childId') ?? undefined;
const compare = location.pathname === '/embed/compare' ? parseCompareQuery((name) => params.get(name)) : undefined;
const props = { potId, options, childId };
if (compare) {
  // The server has checked the comparison already; a stale page shows what it can.
  const starts = drawnData && 'starts' in drawnData ? drawnData.starts : undefined;
  if (compare.ok && starts) afterFirstPaint(() => hydrate(CompareEmbed, { target, props: { compare: compare.options, options, childId, starts } }));
  else if (compare.ok) mount(CompareEmbed, { target, props: { compare: compare.options, options, childId } });
} else if (drawnData && 'pot' in drawnData) {
  const data = drawnData;
  afterFirstPaint(() => hydrate(Embed, { target, props: { ...props, start: { pot: data.pot, points: data.points, annotations: data.annotations } } }));
} else mount(Embed, { target, props });

/**
 * Runs `work` once the page has painted: its script is ready as soon as the HTML is parsed,
 * and taking the page over at once would hold back the first paint of the server's drawing
 * until it is done. A frame that never comes (a hidden page) delays it by a fifth of a second.
 */
function afterFirstPaint(work: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(once));
  setTimeout(once, 200);
}
