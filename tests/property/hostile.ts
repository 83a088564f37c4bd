import fc from 'fast-check';
import { expect } from 'vitest';

/** Strings written to break things: SQL, markup, control and bidi characters, lone surrogates, huge numbers. */
export const NASTY_STRINGS = [
  "'; DROP TABLE readings; --",
  '" OR 1=1 --',
  '\\',
  '%00',
  '\u0000',
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '{{constructor.constructor("return 1")()}}',
  '${process.exit(1)}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '\ud800',
  '\udfff',
  '💸'.repeat(50),
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e400',
  '9007199254740993',
  '0x10',
  '1_000',
  ' 12 ',
  '12,50',
  '١٢٣',
  '\r\n',
] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((text) => text.repeat(200)) },
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.1, 0.005, 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE, Number.EPSILON),
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.maxSafeInteger(),
);

/** Keys that pollute a prototype if an object is merged carelessly. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString', 'valueOf') },
  { weight: 1, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom('at', 'amount', 'contributors', 'contributions', 'id', 'name', 'message', 'potId') },
);

/** Any JSON value, with hostile keys and strings. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyNumber.filter(Number.isFinite),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(nastyKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** Text a JSON parser would turn into objects with an own `__proto__` or `constructor.prototype` key. */
export const POLLUTING_BODIES = [
  '{"__proto__": {"polluted": true}, "at": 1, "amount": 1, "contributors": 1}',
  '{"constructor": {"prototype": {"polluted": true}}, "at": 1, "amount": 1, "contributors": 1}',
  '[{"__proto__": {"polluted": true}, "amount": 1, "contributors": 1}]',
  '{"at": 1, "amount": 1, "contributors": 1, "contributions": [{"id": "x", "__proto__": {"polluted": true}}]}',
] as const;

/** Fails if anything was written onto Object.prototype (or the prototypes of arrays and functions). */
export function expectPrototypesUntouched(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(OBJECT_PROTOTYPE_NAMES);
}

const OBJECT_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
