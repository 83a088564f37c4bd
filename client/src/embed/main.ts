import { mount } from 'svelte';
import '../lib/theme.css';
import { parseLanguage, preferredLanguage, setLanguage } from '../lib/i18n.svelte.js';
import { parseRange } from '../lib/live-pot.svelte.js';
import Embed from './Embed.svelte';

const params = new URLSearchParams(location.search);
const potId = location.pathname.split('/')[2] ?? '';
const theme = params.get('theme');
if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
const lang = parseLanguage(params.get('lang'));
setLanguage(lang ?? preferredLanguage(), false);

mount(Embed, {
  target: document.getElementById('embed')!,
  props: {
    potId,
    range: parseRange(params.get('range')) ?? 'all',
    showCounters: params.get('counters') !== '0',
  },
});
