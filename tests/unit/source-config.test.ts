import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parsePots, PotsFileError } from '../../server/config/pots-file.js';
import { publicSourceDescription } from '../../server/db/pots-repository.js';
import { createLogger } from '../../server/logger.js';

const pot = (source: Record<string, unknown>) => ({ pots: [{ id: 'cagnotte', title: 'Cagnotte', source }] });
const html = { kind: 'html', url: 'https://pots.example/p/1', amount: '.amount', contributors: '.count' };
const api = { kind: 'http-json', url: 'https://api.example/pot', amount: '/data/amount', contributors: '/data/count' };

describe('pots file: source settings', () => {
  it('fills in the defaults of a poller', () => {
    const [parsed] = parsePots(pot(api), {});
    expect(parsed!.source).toMatchObject({ everySeconds: 30, timeoutSeconds: 10, maxBackoffSeconds: 600, headers: {}, amountIn: 'major' });
  });

  it('reads header values from the environment', () => {
    const [parsed] = parsePots(pot({ ...api, headers: { Authorization: 'Bearer ${POT_TOKEN}' } }), { POT_TOKEN: 't0k3n' });
    expect(parsed!.source).toMatchObject({ headers: { Authorization: 'Bearer t0k3n' } });
  });

  it.each([
    [{ ...html, amount: '.amount[' }, 'source.amount', /CSS selector/],
    [{ ...api, contributors: 'data/count' }, 'source.contributors', /JSON Pointer/],
    [{ ...api, amount: '/data/~2' }, 'source.amount', /JSON Pointer/],
    [{ ...html, locale: 'not a locale!' }, 'source.locale', /locale/],
    [{ ...html, headers: { 'Bad Header': 'x' } }, 'source.headers.Bad Header', /not a valid HTTP header name/],
    [{ ...api, amountIn: 'cents' }, 'source.amountIn', /./],
    [{ ...api, maxBackoffSeconds: 0 }, 'source.maxBackoffSeconds', /./],
    [{ ...html, url: 'ftp://pots.example/p/1' }, 'source.url', /http/],
  ])('stops at start on %j, naming the pot and %s', (source, field, message) => {
    expect(() => parsePots(pot(source), {})).toThrow(PotsFileError);
    expect(() => parsePots(pot(source), {})).toThrow(`pot "cagnotte" (pots[0]), field ${field}: `);
    expect(() => parsePots(pot(source), {})).toThrow(message);
  });

  it('names the pot and field of a bad guard setting', () => {
    const file = { pots: [{ id: 'cagnotte', title: 'Cagnotte', source: api, guard: { confirmReadings: 0 } }] };
    expect(() => parsePots(file, {})).toThrow('pot "cagnotte" (pots[0]), field guard.confirmReadings: ');
  });
});

describe('secrets', () => {
  it('never reach the logs', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    const [webhook, poller] = parsePots(
      {
        pots: [
          { id: 'hook', title: 'Hook', source: { kind: 'webhook', secret: '${HOOK_SECRET}' } },
          { id: 'poll', title: 'Poll', source: { ...api, headers: { Authorization: 'Bearer ${POT_TOKEN}' } } },
        ],
      },
      { HOOK_SECRET: 'hook-s3cr3t-0123456789', POT_TOKEN: 'api-s3cr3t' },
    );
    logger.info({ source: webhook!.source }, 'source');
    logger.info({ pot: poller }, 'pot');
    logger.info({ source: poller!.source }, 'source');
    logger.info({ request: { headers: { authorization: 'Bearer api-s3cr3t' } } }, 'request');
    const logged = lines.join('');
    expect(logged).toContain('[hidden]');
    expect(logged).not.toContain('s3cr3t');
  });

  it('are not stored with the source description', () => {
    const [parsed] = parsePots(pot({ ...api, url: 'https://user:pw@api.example/pot?key=s3cr3t' }), {});
    expect(JSON.stringify(publicSourceDescription(parsed!))).toBe('{"kind":"http-json","url":"https://api.example/pot"}');
  });
});
