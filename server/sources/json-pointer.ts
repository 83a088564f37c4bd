export type PointerLookup = { found: true; value: unknown } | { found: false; missing: string };

/**
 * Resolves an RFC 6901 JSON Pointer ("/data/amount", "/items/0/total", "" for the whole
 * document; "~1" stands for "/" and "~0" for "~" inside a token). Reports the part of the
 * pointer that leads nowhere.
 */
export function resolvePointer(document: unknown, pointer: string): PointerLookup {
  if (pointer === '') return { found: true, value: document };
  if (!pointer.startsWith('/')) return { found: false, missing: pointer };
  let current = document;
  let walked = '';
  for (const encoded of pointer.slice(1).split('/')) {
    walked += `/${encoded}`;
    const token = encoded.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= current.length) return { found: false, missing: walked };
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false, missing: walked };
    }
  }
  return { found: true, value: current };
}
