import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { contributionTime, readContributionList, recogniseContributionList } from '../../server/sources/page/contribution-list.js';
import { readPotPage } from '../../server/sources/page/read-pot-page.js';
import { SourceFailure } from '../../server/sources/source-failure.js';

const NOW = Date.UTC(2019, 0, 10, 9, 0);

function read(body: string, source: Parameters<typeof readPotPage>[1] = {}, currency: string | undefined = 'EUR') {
  return readPotPage(load(`<!doctype html><html><body>${body}</body></html>`), source, currency, NOW);
}

function refusal(body: string): string {
  try {
    read(body);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFailure);
    return (error as Error).message;
  }
  throw new Error('the page was read');
}

describe('finding a pot page figures by their wording', () => {
  it.each([
    ['12 345,50 € collectés sur 20 000 €<br>1 234 participants', 1234550, 1234],
    ['<p>€12,345 raised of €20,000 goal</p><p>1,234 donors</p>', 1234500, 1234],
    ['<p>Objectif : 20 000 €</p><p>Déjà 12 000 € récoltés</p><p>312 donateurs</p>', 1200000, 312],
    ['<div><span>Collecté</span> <strong>1 400 000,50 €</strong></div><div><span>Participants</span><strong>50 123</strong></div>', 140000050, 50123],
    ['<h2>Montant collecté</h2><div class="big">1 427 265 €</div><h2>Contributeurs</h2><div>50 702</div>', 142726500, 50702],
    ['<p>$8,120 pledged of $5,000 goal</p><p>97 backers</p>', 812000, 97],
    ['<p>£2,500.75 raised</p><p>Supporters: 48</p>', 250075, 48],
    ['<p>Goal €50,000</p><p>€31,004 raised by 1,002 supporters</p>', 3100400, 1002],
  ])('reads %j', (body, amountMinor, contributors) => {
    const reading = read(body);
    expect(reading.amountMinor).toBe(amountMinor);
    expect(reading.contributors).toBe(contributors);
  });

  it('says where each figure was found and why', () => {
    const reading = read('<div class="total"><span class="value">12 345,50 €</span> collectés sur 20 000 €</div><p id="people">1 234 participants</p>');
    expect(reading.found.amount).toMatchObject({ text: '12 345,50 €', selector: 'span.value', how: 'followed by "collectés"' });
    expect(reading.found.contributors).toMatchObject({ text: '1 234', selector: '#people', how: 'followed by "participants"' });
    expect(load(`<body><div class="total"><span class="value">x</span></div></body>`)(reading.found.amount.selector)).toHaveLength(1);
  });

  it('tells the currency from the amount when the pot has none yet', () => {
    expect(read('<p>£2,500.75 raised by 48 donors</p>', {}, undefined).found.currency).toBe('GBP');
    expect(read('<p>2 500,75 € collectés par 48 donateurs</p>', {}, undefined).found.currency).toBe('EUR');
  });

  it.each([
    ['<h1>Welcome to our shop</h1><p>Opening hours 9-18</p>', /the amount was not found on the page: no amount in a currency/],
    ['<p>12,3 k€ collectés</p><p>120 participants</p>', /the amount was not found on the page: the amount "12,3 k€" is abbreviated/],
    ['<p>Prix : 10 €</p><p>Livraison : 5 €</p><p>3 participants</p>', /several amounts .* none labelled as raised/],
    ['<p>12 000 € collectés</p><p>Rendez-vous le 12 mars</p>', /the contributors was not found on the page: no number of contributors/],
  ])('refuses a page it cannot read with the reason: %j', (body, reason) => {
    expect(refusal(body)).toMatch(reason);
  });

  it('never takes a gift of the contribution list for the total', () => {
    const reading = read(`<p>Collecté : 1 250 €</p><p>Participants : 40</p>
      <ul class="gifts">
        <li class="gift"><b class="who">Marie</b> <span class="how-much">50 €</span> <i class="when">il y a 5 min</i> <q class="said">Courage à tous</q></li>
        <li class="gift"><b class="who">Anonyme</b> <span class="how-much">10 €</span> <i class="when">il y a 12 min</i></li>
        <li class="gift"><b class="who">Paul</b> <span class="how-much">20 €</span> <i class="when">il y a 1 h</i> <q class="said">Bravo pour cette initiative</q></li>
      </ul>`);
    expect(reading.amountMinor).toBe(125000);
    expect(reading.found.contributions).toMatchObject({
      recognised: true,
      items: 3,
      selectors: { item: 'ul.gifts > li.gift', name: '.who', amount: '.how-much', at: '.when', message: '.said' },
    });
    expect(reading.contributions).toEqual([
      { name: 'Marie', amountMinor: 5000, at: NOW - 5 * 60_000, message: 'Courage à tous' },
      { name: 'Anonyme', amountMinor: 1000, at: NOW - 12 * 60_000 },
      { name: 'Paul', amountMinor: 2000, at: NOW - 3_600_000, message: 'Bravo pour cette initiative' },
    ]);
  });

  it('keeps to the given selectors, and refuses one that picks different texts', () => {
    const body = '<p class="a">100 €</p><p class="a">200 €</p><p class="n">3 participants</p>';
    expect(() => read(body, { amount: '.a', contributors: '.n' })).toThrow(/the selector \.a picks 2 different amount texts/);
    expect(read(body, { amount: '.a:first-child', contributors: '.n' }).amountMinor).toBe(10000);
  });

  it('reads a list with given selectors, newest first as the page shows it', () => {
    const $ = load('<div id="feed"><div class="row"><span class="n">A</span><span class="m">5 €</span></div><div class="row"><span class="n">B</span></div></div>');
    expect(readContributionList($, { item: '#feed .row', name: '.n', amount: '.m' }, { currency: 'EUR' }, NOW)).toEqual([
      { name: 'A', amountMinor: 500 },
      { name: 'B' },
    ]);
    expect(recogniseContributionList($)).toBeUndefined();
  });

  it.each([
    ["à l'instant", NOW],
    ['il y a 5 min', NOW - 300_000],
    ['il y a 2 heures', NOW - 7_200_000],
    ['il y a un jour', NOW - 86_400_000],
    ['3 minutes ago', NOW - 180_000],
    ['an hour ago', NOW - 3_600_000],
    ['hier', NOW - 86_400_000],
    ['2019-01-10T02:14:00Z', Date.UTC(2019, 0, 10, 2, 14)],
    ['Marie', undefined],
    ['5 €', undefined],
  ])('reads the time %j', (text, at) => {
    expect(contributionTime(text, NOW)).toBe(at);
  });
});
