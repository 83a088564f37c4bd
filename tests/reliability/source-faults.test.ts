import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StatusEvent } from '../../shared/events.js';
import { potConfigSchema } from '../../shared/pot-config.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startFaultySource, type Fault } from '../helpers/faulty-source.js';
import { connectViewer, startTestServer, type TestServer } from '../helpers/server.js';
import { propertyRuns, recordFigures, soakTimeout } from '../helpers/soak.js';
import { waitFor } from '../helpers/wait-for.js';

/** [fault, the reason a viewer is shown while the pot is stale because of it] */
const FAULTS: Array<[Fault, RegExp]> = [
  [{ kind: 'reset-before' }, /^could not reach 127\.0\.0\.1:\d+ \(\w+\)$/],
  [{ kind: 'reset-mid-body' }, /^could not reach 127\.0\.0\.1:\d+ \(.+\)$/],
  [{ kind: 'trickle' }, /^127\.0\.0\.1:\d+ did not answer within 0\.3 s$/],
  [{ kind: 'hang' }, /^127\.0\.0\.1:\d+ did not answer within 0\.3 s$/],
  [{ kind: 'oversize' }, /^127\.0\.0\.1:\d+ sent more than 5 MiB$/],
  [{ kind: 'huge-length' }, /^127\.0\.0\.1:\d+ sent more than 5 MiB$/],
  [{ kind: 'redirect-loop' }, /^could not reach 127\.0\.0\.1:\d+ \(redirect count exceeded\)$/],
  [{ kind: 'status', status: 500 }, /^HTTP 500 Internal Server Error from 127\.0\.0\.1:\d+$/],
  [{ kind: 'status', status: 502 }, /^HTTP 502 Bad Gateway from/],
  [{ kind: 'status', status: 504 }, /^HTTP 504 Gateway Timeout from/],
  [{ kind: 'garbage', bytes: new Uint8Array([0xff, 0xfe, 0x00, 0x7b]) }, /^the answer is not valid JSON$/],
  [{ kind: 'garbage', bytes: Buffer.from('{"data": {"amount": "12,5,0", "count": 3}}') }, /^the amount cannot be read/],
];

const apiPot = (url: string) =>
  potConfigSchema.parse({
    id: 'api-pot',
    title: 'A pot behind a failing API',
    source: { kind: 'http-json', url: `${url}/pot.json`, everySeconds: 0.1, timeoutSeconds: 0.3, maxBackoffSeconds: 0.2, amount: '/data/amount', contributors: '/data/count' },
  });

describe('source faults: resets, hangs, trickles, floods, redirect loops, 5xx storms and garbage', () => {
  const storedCounts = (server: TestServer) =>
    [...server.db.prepare(`SELECT contributors FROM readings WHERE pot_id = 'api-pot' ORDER BY at`).all()].map((row) => (row as { contributors: number }).contributors);

  it('shows each fault as the reason the pot is stale, stores nothing from it, and is live at the next good answer', async () => {
    const source = closeAfterTest(await startFaultySource());
    const plan: Fault[] = [{ kind: 'good', amount: 10, count: 1 }];
    FAULTS.forEach(([fault], i) => plan.push(fault, { kind: 'good', amount: 20 + i, count: 2 + i }));
    source.plan(plan);
    const server = closeAfterTest(await startTestServer({ pots: [apiPot(source.url)] }));
    const viewer = closeAfterTest(await connectViewer(server.url));
    const stale: string[] = [];
    viewer.on('status', (event: StatusEvent) => {
      if (event.status === 'stale' && event.reason) stale.push(event.reason);
    });
    await viewer.emitWithAck('subscribe', { potId: 'api-pot' });

    const lastCount = 1 + FAULTS.length;
    await waitFor(() => server.states.latest('api-pot')?.contributors === lastCount, 'the last good answer to be stored', 20_000);
    await waitFor(() => stale.length >= FAULTS.length, 'a stale status for every fault');
    expect(stale.length).toBe(FAULTS.length);
    FAULTS.forEach(([fault, reason], i) => expect({ fault: fault.kind, reason: stale[i] }).toEqual({ fault: fault.kind, reason: expect.stringMatching(reason) }));
    expect(new Set(storedCounts(server))).toEqual(new Set([1, ...FAULTS.map((_, i) => 2 + i)]));
    expect(server.states.statusInfo('api-pot').status).toBe('live');
    // Abandoned requests (hang, trickle, oversize) left no connection open at the source.
    await waitFor(() => source.openConnections() <= 1, 'the abandoned connections to be closed', 2000);
    recordFigures('faults', { name: 'each source fault, then a good answer', faults: FAULTS.length });
  });

  it(
    'under a random storm of faults, stores exactly the figures of good answers and nothing else',
    async () => {
      const runs = propertyRuns(2);
      const faults = fc.oneof(
        { weight: 3, arbitrary: fc.constant<'good'>('good') },
        { weight: 4, arbitrary: fc.constantFrom(...FAULTS.map(([fault]) => fault)) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes): Fault => ({ kind: 'garbage', bytes })) },
      );
      let totalFaults = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(faults, { minLength: 5, maxLength: 12 }), async (drawn) => {
          let count = 0;
          const plan = drawn.map((fault): Fault => (fault === 'good' ? { kind: 'good', amount: 100 + count, count: ++count } : fault));
          const finalCount = count + 1;
          plan.push({ kind: 'good', amount: 100 + finalCount, count: finalCount });
          totalFaults += plan.length - finalCount;
          // Each run has a source and a server of its own, both gone before the next run starts.
          const source = await startFaultySource();
          try {
            source.plan(plan);
            const server = await startTestServer({ pots: [apiPot(source.url)] });
            try {
              await waitFor(() => server.states.latest('api-pot')?.contributors === finalCount, 'the final good answer', 20_000);
              const goods = new Set(Array.from({ length: finalCount }, (_, i) => i + 1));
              for (const stored of storedCounts(server)) expect(goods.has(stored)).toBe(true);
              expect(new Set(storedCounts(server))).toEqual(goods);
              expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
            } finally {
              await server.dispose();
            }
          } finally {
            await source.close();
          }
        }),
        { numRuns: runs },
      );
      recordFigures('faults', { name: 'random source fault storms', runs, faults: totalFaults });
    },
    soakTimeout(120_000),
  );
});
