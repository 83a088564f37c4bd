import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatPath } from '../../shared/schemas.js';
import type { PotConfig } from '../../shared/pot-config.js';
import { potsFileSchema } from './pot-config.js';

export class PotsFileError extends Error {}

/**
 * Reads and validates the pots file. Every problem is reported with the pot and the field
 * it concerns, so that the person who wrote the file can fix it without guessing.
 */
export function loadPotsFile(filePath: string, env: NodeJS.ProcessEnv = process.env): PotConfig[] {
  const name = path.basename(filePath);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new PotsFileError(`${name}: cannot read it as JSON: ${(error as Error).message}`);
  }
  return parsePots(raw, env, name);
}

export function parsePots(raw: unknown, env: NodeJS.ProcessEnv, name = 'pots file'): PotConfig[] {
  const expanded = expandEnv(raw, [], env, raw, name);
  const parsed = potsFileSchema.safeParse(expanded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PotsFileError(`${name}: ${locate(raw, issue.path)}: ${issue.message}`);
  }
  const seen = new Set<string>();
  parsed.data.pots.forEach((pot, index) => {
    if (seen.has(pot.id)) throw new PotsFileError(`${name}: ${locate(raw, ['pots', index, 'id'])}: "${pot.id}" is used twice`);
    seen.add(pot.id);
  });
  return parsed.data.pots;
}

/** "pot "police-2019" (pots[0]), field source.secret" from a path into the file. */
function locate(raw: unknown, issuePath: ReadonlyArray<PropertyKey>): string {
  if (issuePath[0] !== 'pots' || typeof issuePath[1] !== 'number') return `field ${formatPath(issuePath) ?? '(top level)'}`;
  const index = issuePath[1];
  const potId = (raw as { pots?: Array<{ id?: unknown }> }).pots?.[index]?.id;
  const pot = typeof potId === 'string' ? `pot "${potId}" (pots[${index}])` : `pots[${index}]`;
  const field = formatPath(issuePath.slice(2));
  return field ? `${pot}, field ${field}` : pot;
}

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function expandEnv(
  value: unknown,
  at: PropertyKey[],
  env: NodeJS.ProcessEnv,
  root: unknown,
  name: string,
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REFERENCE, (_match, variable: string) => {
      const found = env[variable];
      if (found === undefined) {
        throw new PotsFileError(`${name}: ${locate(root, at)}: uses \${${variable}}, which is not set in the environment`);
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => expandEnv(item, [...at, index], env, root, name));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandEnv(item, [...at, key], env, root, name)]),
    );
  }
  return value;
}
