import fc from 'fast-check';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODERATION_NAMESPACE } from '../../shared/events.js';
import { waitFor } from '../helpers/wait-for.js';
import { openRawWebSocket } from '../helpers/raw-websocket.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot, type TestServer, type TestSocket } from '../helpers/server.js';
import { propertyRuns, recordFigures, soakTimeout } from '../helpers/soak.js';
import { expectPrototypesUntouched, nastyJson, nastyString } from './hostile.js';

const T0 = Date.now() - 3600_000;

describe('socket payloads: properties', () => {
  let server: TestServer;
  let watcher: TestSocket;
  let readingNumber = 0;

  /** The server still works: health, and a reading reaches a viewer that behaved all along. */
  async function expectServerWorks(): Promise<void> {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    readingNumber++;
    const received = nextEvent(watcher, 'reading', (event) => event.contributors === readingNumber);
    expect((await postReadings(server.url, 'alpha', { at: T0 + readingNumber * 1000, amount: readingNumber, contributors: readingNumber })).status).toBe(200);
    await received;
  }

  beforeAll(async () => {
    // One test client sends thousands of messages from one address: the abuse limits are tested elsewhere.
    server = await startTestServer({
      pots: [webhookPot('alpha')],
      broadcastIntervalMs: 0,
      liveLimits: { eventsPerSecond: 100_000, eventBurst: 100_000, maxConnectionsPerAddress: 10_000 },
    });
    watcher = await connectViewer(server.url);
    await watcher.emitWithAck('subscribe', { potId: 'alpha' });
  });
  afterAll(async () => {
    watcher.disconnect();
    await server.dispose();
  });

  it(
    'answers every subscribe with a well-formed ack, whatever its payload, and ignores the rest',
    async () => {
      const runs = propertyRuns(300);
      const client = await connectViewer(server.url);
      // The client refuses to send reserved names; the raw-frame property sends them anyway.
      const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
      const event = fc
        .oneof(fc.constantFrom('subscribe', 'unsubscribe', 'flag', 'reading', 'constructor', '__proto__'), nastyString)
        .filter((name) => !reserved.has(name));
      await fc.assert(
        fc.asyncProperty(event, fc.array(nastyJson, { maxLength: 3 }), async (name, args) => {
          if (name === 'subscribe') {
            const answer = await client.timeout(2000).emitWithAck('subscribe', ...(args as [never]));
            if (answer.ok) expect(answer.pot.id).toBe('alpha');
            else expect(answer.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
          } else {
            (client.emit as (event: string, ...rest: unknown[]) => void)(name, ...args);
          }
        }),
        {
          numRuns: runs,
          examples: [
            ['subscribe', []],
            ['subscribe', [{ potId: 'alpha' }, 'one more']],
            ['subscribe', [JSON.parse('{"potId": "alpha", "__proto__": {"polluted": true}}')]],
            ['subscribe', [[[[[]]]]]],
          ],
        },
      );
      expect(client.connected).toBe(true);
      client.disconnect();
      expectPrototypesUntouched();
      await expectServerWorks();
      recordFigures('property', { name: 'socket events and payloads', runs });
    },
    soakTimeout(60_000),
  );

  it(
    'survives any raw frame: garbage packets, bad UTF-8, binary frames, deep nesting',
    async () => {
      const runs = propertyRuns(120);
      const frame = fc.oneof(
        fc.tuple(fc.constantFrom('', '0', '1', '2', '3', '4', '40', '41', '42', '43', '44', '45', '46', '421', '42/moderation,', '6', '9'), nastyString).map(([head, tail]) => ({ text: head + tail })),
        fc.tuple(fc.constantFrom('42', '421', '43', '42/moderation,'), fc.constantFrom('subscribe', 'disconnecting', 'connect', '__proto__'), nastyJson).map(([head, name, value]) => ({
          text: head + JSON.stringify([name, value]),
        })),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ opcode: 0x1, bytes: Buffer.from([0x34, 0x32, 0xff, ...bytes]) })),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ opcode: 0x2, bytes: Buffer.from(bytes) })),
        fc.integer({ min: 1, max: 7000 }).map((depth) => ({ text: `42["subscribe",${'['.repeat(depth)}${']'.repeat(depth)}]` })),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
          const raw = await openRawWebSocket(server.url);
          raw.send('40');
          for (const sent of frames) {
            if ('text' in sent) raw.send(sent.text);
            else raw.sendFrame(sent.opcode, sent.bytes);
          }
          raw.send('2probe');
          // Either the server answers the probe, or it closed the connection for a bad frame.
          await waitFor(() => raw.isClosed() || raw.messages.includes('3probe'), 'an answer or a close', 3000);
          raw.destroy();
        }),
        { numRuns: runs },
      );
      expectPrototypesUntouched();
      await expectServerWorks();
      recordFigures('property', { name: 'raw socket frames', runs });
    },
    soakTimeout(90_000),
  );

  it('parses 100,000 nested arrays in a message without harm when the size limit allows it', async () => {
    const roomy = await startTestServer({ pots: [webhookPot('alpha')], liveLimits: { maxMessageBytes: 1024 * 1024 } });
    try {
      const raw = await openRawWebSocket(roomy.url);
      raw.send('40');
      raw.send(`421["subscribe",${'['.repeat(100_000)}${']'.repeat(100_000)}]`);
      await waitFor(() => raw.messages.some((message) => message.startsWith('431')), 'the ack');
      expect(raw.messages.find((message) => message.startsWith('431'))).toContain('"code":"invalid_payload"');
      raw.destroy();
      expect((await fetch(`${roomy.url}/healthz`)).status).toBe(200);
    } finally {
      await roomy.dispose();
    }
  });

  it('refuses the moderators’ channel to any handshake without a session, whatever it carries', async () => {
    const runs = propertyRuns(30);
    await fc.assert(
      fc.asyncProperty(nastyJson, nastyString, async (auth, cookie) => {
        const socket = connect(`${server.url}${MODERATION_NAMESPACE}`, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
          auth: auth && typeof auth === 'object' && !Array.isArray(auth) ? (auth as Record<string, unknown>) : { csrfToken: auth },
          extraHeaders: { Cookie: `potwatch_session=${encodeURIComponent(Buffer.from(cookie).toString())}` },
        });
        const outcome = await new Promise<string>((resolve) => {
          socket.once('connect', () => resolve('connected'));
          socket.once('connect_error', (error) => resolve(error.message));
        });
        socket.disconnect();
        expect(outcome).toBe('not_signed_in');
      }),
      { numRuns: runs },
    );
    expectPrototypesUntouched();
    recordFigures('property', { name: 'moderator handshakes without a session', runs });
  });
});
