import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, FAST_SCRYPT, signedIn, type Client } from '../helpers/moderation.js';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';
import { propertyRuns, recordFigures, soakTimeout } from '../helpers/soak.js';
import { expectPrototypesUntouched, nastyJson, nastyKey, nastyString } from './hostile.js';

const T0 = Date.UTC(2019, 0, 9, 22);

/** A URL component as a careless or hostile client writes it: encoded, raw, or with broken escapes. */
const component = fc.oneof(
  nastyString.map((text) => encodeURIComponent(Buffer.from(text).toString())),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%2e%2e', '..', '%2F', '%252F', '+', '[]', '[0]', '%ff%fe'),
  fc.integer().map(String),
  fc.constantFrom('alpha', 'beta', 'police-2019', ''),
  fc.constantFrom('http://127.0.0.1/pots/alpha', 'https://example.org/embed/alpha?theme=dark', 'javascript:alert(1)', '//evil.example/pots/alpha').map(encodeURIComponent),
);

const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('from', 'to', 'points', 'limit', 'before', 'potId', 'theme', 'lang', 'range', 'counters', 'url', 'width', 'height', 'maxwidth', 'maxheight'), nastyKey.map((key) => encodeURIComponent(Buffer.from(key).toString()))), component), {
    maxLength: 5,
  })
  .map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join('&'));

const ROUTES = [
  (id: string) => `/api/pots/${id}`,
  (id: string) => `/api/pots/${id}/series`,
  (id: string) => `/api/pots/${id}/live`,
  (id: string) => `/api/pots/${id}/export.csv`,
  (id: string) => `/api/pots/${id}/flags`,
  (id: string) => `/api/flags/${id}`,
  () => '/api/audit',
  () => '/api/pots',
  () => '/api/session',
  () => '/healthz',
  (id: string) => `/pots/${id}`,
  (id: string) => `/embed/${id}`,
  (id: string) => `/embed/${id}/chart.svg`,
  () => '/embed.js',
  () => '/oembed',
  (id: string) => `/${id}`,
  (id: string) => `/assets/${id}`,
];

describe('HTTP requests: any path, query, method or body', () => {
  let server: TestServer;
  let admin: Client;

  beforeAll(async () => {
    server = await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } });
    await addUser(server, 'root', 'admin');
    admin = await signedIn(server, 'root');
    await postReadings(server.url, 'alpha', Array.from({ length: 50 }, (_, i) => ({ at: T0 + i * 60_000, amount: i, contributors: i })));
  });
  afterAll(async () => {
    await server.dispose();
  });

  it(
    'answers every GET with a page or a JSON error, never a 5xx',
    async () => {
      const runs = propertyRuns(400);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), component, query, fc.boolean(), async (route, id, search, asAdmin) => {
          const path = `${route(id)}?${search}`;
          const answer = asAdmin ? await admin.request('GET', path) : await anonymous(server.url, 'GET', path);
          expect(answer.status, path).toBeLessThan(500);
          if (answer.status >= 400) expect(answer.json?.error?.code, path).toEqual(expect.any(String));
        }),
        { numRuns: runs },
      );
      expectPrototypesUntouched();
      recordFigures('property', { name: 'GET paths and query strings', runs });
    },
    soakTimeout(60_000),
  );

  it(
    'answers any method and body on the API with a 2xx or a 4xx, never a 5xx, as anyone',
    async () => {
      const runs = propertyRuns(300);
      const body = fc.oneof(nastyJson.map((value) => JSON.stringify(value) ?? ''), nastyString, fc.constant('{"__proto__": {"polluted": true}}'));
      const contentType = fc.constantFrom('application/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '');
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('POST', 'PATCH', 'DELETE', 'PUT'),
          fc.constantFrom(...ROUTES),
          component,
          body,
          contentType,
          fc.boolean(),
          async (method, route, id, payload, type, asAdmin) => {
            const path = route(id);
            const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
            const answer = asAdmin
              ? await admin.request(method, path, payload, { headers })
              : await anonymous(server.url, method, path, payload, headers);
            expect(answer.status, `${method} ${path}`).toBeLessThan(500);
          },
        ),
        { numRuns: runs },
      );
      expectPrototypesUntouched();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      recordFigures('property', { name: 'API methods and bodies', runs });
    },
    soakTimeout(60_000),
  );
});

async function anonymous(
  baseUrl: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined || method === 'GET' ? {} : { body }) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json };
}
