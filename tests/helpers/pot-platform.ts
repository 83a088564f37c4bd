import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

export interface PlatformGift {
  name: string;
  /** Cents. */
  amount: number;
  message?: string;
  at: number;
}

export interface PotPlatform {
  url: string;
  /** The pot page, whose figures and contribution list are drawn by script after a delay. */
  scriptedPage: string;
  /** The same pot, with its figures in the HTML as served. */
  servedPage: string;
  gifts: PlatformGift[];
  /** Requests per path, to see what a poller asked for. */
  hits: Map<string, number>;
  give(name: string, euros: number, message?: string): void;
  /** Answers every page with a bot-protection interstitial while on. */
  interstitial: boolean;
  close(): Promise<void>;
}

const GOAL_CENTS = 2_000_000;
const PAGE_SIZE = 10;

const money = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
const count = (n: number) => new Intl.NumberFormat('fr-FR').format(n);
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const INTERSTITIAL = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
<body><noscript>Enable JavaScript and cookies to continue</noscript><script>window._cf_chl_opt={cvId:'3'};</script></body></html>`;

/**
 * A stand-in crowdfunding platform on a loopback port, shaped like the single-page sites that
 * pots live on: the page as served is an empty shell; a script fetches the pot's JSON and,
 * after a late-loading widget's delay, draws the figures in French formatting ("12 345,50 €
 * collectés sur 20 000,00 €", "1 234 participants") and the ten newest contributions, with
 * a "next page" button for older ones. Its figures change as the test gives.
 */
export async function startPotPlatform(options: { widgetDelayMs?: number } = {}): Promise<PotPlatform> {
  const widgetDelayMs = options.widgetDelayMs ?? 400;
  const hits = new Map<string, number>();
  const platform = {
    gifts: [] as PlatformGift[],
    interstitial: false,
  };
  const totals = () => ({
    amount: platform.gifts.reduce((sum, gift) => sum + gift.amount, 0),
    contributors: platform.gifts.length,
  });
  const newest = (page: number) =>
    [...platform.gifts]
      .reverse()
      .slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
      .map((gift) => ({ ...gift, amountText: money(gift.amount) }));

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://platform');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (platform.interstitial && !url.pathname.startsWith('/api/')) {
      res.writeHead(403, { 'content-type': 'text/html' });
      return res.end(INTERSTITIAL);
    }
    if (url.pathname === '/api/cagnottes/soutien') {
      const { amount, contributors } = totals();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(
        JSON.stringify({
          collected: money(amount),
          goal: money(GOAL_CENTS),
          participants: count(contributors),
          gifts: newest(Number(url.searchParams.get('page') ?? 0)),
        }),
      );
    }
    if (url.pathname === '/cagnotte/soutien') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(SCRIPTED_PAGE.replace('__DELAY__', String(widgetDelayMs)));
    }
    if (url.pathname === '/static/soutien') {
      const { amount, contributors } = totals();
      const items = newest(0)
        .map((gift) => `<li class="don"><span class="donateur">${escape(gift.name)}</span> <span class="montant">${gift.amountText}</span>${gift.message ? ` <p class="mot">${escape(gift.message)}</p>` : ''}</li>`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><html lang="fr"><body><h1>Soutien</h1>
        <div class="cagnotte"><strong>${money(amount)}</strong> collectés sur ${money(GOAL_CENTS)}</div>
        <div>${count(contributors)} participants</div><ul class="dons">${items}</ul></body></html>`);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  };

  const listening = await listenOnLoopback(createServer(handle));
  return Object.assign(platform, {
    url: listening.url,
    scriptedPage: `${listening.url}/cagnotte/soutien`,
    servedPage: `${listening.url}/static/soutien`,
    hits,
    give(name: string, euros: number, message?: string) {
      platform.gifts.push({ name, amount: Math.round(euros * 100), at: Date.now(), ...(message ? { message } : {}) });
    },
    close: () => listening.close(),
  });
}

/** The shell page: everything a reader sees is drawn by this script, after the widget's delay. */
const SCRIPTED_PAGE = `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Cagnotte de soutien</title></head>
<body>
  <h1>Cagnotte de soutien</h1>
  <main id="app"><p class="loading">Chargement…</p></main>
  <script>
    let page = 0;
    const app = document.getElementById('app');
    function draw(pot) {
      app.innerHTML = '';
      const total = document.createElement('section');
      total.className = 'jauge';
      total.innerHTML = '<p><span class="somme"></span> collectés sur <span class="objectif"></span></p><p><b class="nb"></b> participants</p>';
      total.querySelector('.somme').textContent = pot.collected;
      total.querySelector('.objectif').textContent = pot.goal;
      total.querySelector('.nb').textContent = pot.participants;
      app.appendChild(total);
      const list = document.createElement('ol');
      list.className = 'derniers-dons';
      for (const gift of pot.gifts) {
        const item = document.createElement('li');
        item.className = 'don';
        item.innerHTML = '<strong class="qui"></strong> a donné <span class="combien"></span><blockquote class="mot"></blockquote>';
        item.querySelector('.qui').textContent = gift.name;
        item.querySelector('.combien').textContent = gift.amountText;
        item.querySelector('.mot').textContent = gift.message || '';
        list.appendChild(item);
      }
      app.appendChild(list);
      const next = document.createElement('button');
      next.textContent = 'Page suivante';
      next.onclick = () => { page++; load(); };
      app.appendChild(next);
    }
    function load() {
      fetch('/api/cagnottes/soutien?page=' + page).then((r) => r.json()).then(draw);
    }
    setTimeout(load, __DELAY__);
  </script>
</body>
</html>`;
