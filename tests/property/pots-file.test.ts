import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePots, PotsFileError } from '../../server/config/pots-file.js';
import { propertyRuns, recordFigures } from '../helpers/soak.js';
import { expectPrototypesUntouched, nastyJson, nastyKey, nastyNumber, nastyString } from './hostile.js';

const VALID_POTS = [
  { id: 'police-2019', title: 'Soutien', currency: 'EUR', goal: 1000000, source: { kind: 'webhook', secret: '${SECRET}' } },
  { id: 'example-json', title: 'API', source: { kind: 'http-json', url: 'https://example.org/pot.json', everySeconds: 30, amount: '/data/amount', contributors: '/data/count' } },
  { id: 'example-html', title: 'Page', source: { kind: 'html', url: 'https://example.org/pot', amount: '.amount', contributors: '.count', locale: 'fr-FR' } },
  { id: 'demo', title: 'Replay', source: { kind: 'replay', scenario: 'police-2019', speed: 600 } },
];
const ENV = { SECRET: 'a-secret-of-at-least-16-characters' };

/** Every path to a value inside a JSON tree. */
function leafPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...at, index]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...at, key]));
  return [at];
}

function replaced(root: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

describe('pots file: properties', () => {
  it('reads the example file', () => {
    expect(parsePots({ pots: VALID_POTS }, ENV).map((pot) => pot.id)).toEqual(VALID_POTS.map((pot) => pot.id));
  });

  it('answers any document with pots or a PotsFileError, never another exception, never a polluted prototype', () => {
    const runs = propertyRuns(500);
    const document = fc.oneof(
      nastyJson,
      fc.array(nastyJson, { maxLength: 3 }).map((pots) => ({ pots })),
      fc.dictionary(nastyKey, nastyJson, { maxKeys: 4 }).map((pot) => ({ pots: [pot] })),
    );
    fc.assert(
      fc.property(document, (raw) => {
        // A file's text goes through JSON.parse, which makes "__proto__" an own key.
        const parsed = JSON.parse(JSON.stringify(raw) ?? 'null');
        try {
          expect(Array.isArray(parsePots(parsed, ENV))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(PotsFileError);
        }
      }),
      { numRuns: runs },
    );
    expectPrototypesUntouched();
    recordFigures('property', { name: 'pots file documents', runs });
  });

  it('names the pot and the field when one value of a valid file is replaced by garbage', () => {
    const runs = propertyRuns(300);
    const paths = leafPaths({ pots: VALID_POTS });
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.oneof(nastyString, nastyNumber, fc.constant(null), fc.constant([]), fc.constant({})), (path, value) => {
        const raw = JSON.parse(JSON.stringify(replaced({ pots: VALID_POTS }, path, value)));
        let message: string | undefined;
        try {
          parsePots(raw, ENV);
        } catch (error) {
          expect(error).toBeInstanceOf(PotsFileError);
          message = (error as Error).message;
        }
        // Some replacements are still valid (a title is any text); a refusal says where.
        if (message !== undefined) expect(message).toContain(`pots[${path[1]}]`);
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'pots file with one bad value', runs });
  });
});
