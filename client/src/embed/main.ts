import { mount } from 'svelte';
import { EMBED_DEFAULTS, parseEmbedOptions } from '../../../shared/embed-options.js';
import '../lib/theme.css';
import { preferredLanguage, setLanguage } from '../lib/i18n.svelte.js';
import Embed from './Embed.svelte';

const params = new URLSearchParams(location.search);
const potId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
// The server has already refused invalid options; this only guards against a stale page.
const parsed = parseEmbedOptions(params);
const options = parsed.ok ? parsed.options : EMBED_DEFAULTS;

if (options.theme !== 'auto') {
  document.documentElement.dataset.theme = options.theme;
  document.documentElement.style.colorScheme = options.theme;
}
setLanguage(options.lang ?? preferredLanguage(), false);

mount(Embed, {
  target: document.getElementById('embed')!,
  props: { potId, options, childId: params.get('childId') ?? undefined },
});
