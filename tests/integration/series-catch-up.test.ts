import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);

describe('series asked for what came after the newest reading', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ pots: [webhookPot('alpha')] });
    await postReadings(server.url, 'alpha', [
      { at: T0, amount: 1, contributors: 1 },
      { at: T0 + 60_000, amount: 2, contributors: 2 },
    ]);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers with no points rather than an error, so that a client catching up does not retry forever', async () => {
    const response = await fetch(`${server.url}/api/pots/alpha/series?from=${T0 + 60_001}&points=600`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ potId: 'alpha', points: [] });
  });

  it('still refuses an explicit window that ends before it starts', async () => {
    const response = await fetch(`${server.url}/api/pots/alpha/series?from=${T0 + 1}&to=${T0}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { field: 'from' } });
  });
});
