import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The dependency checks that work without the advisory service (which `npm audit` cannot reach
 * from these machines): what is installed is exactly what the lockfile pins, from the npm
 * registry, by content hash, and only the packages the project allows run install scripts.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

interface LockedPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  hasInstallScript?: boolean;
}

describe('dependencies: the lockfile as a supply-chain check', () => {
  const manifest = read('package.json');
  const lock = read('package-lock.json') as { lockfileVersion: number; packages: Record<string, LockedPackage> };
  const installed = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !entry.link);

  it('pins every package by a SHA-512 content hash, which npm ci checks before installing', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(installed.length).toBeGreaterThan(100);
    expect(installed.filter(([, entry]) => !/^sha512-[A-Za-z0-9+/]{86}==$/.test(entry.integrity ?? '')).map(([key]) => key)).toEqual([]);
  });

  it('takes packages from the npm registry only: no git, file, tarball URL or other registry', () => {
    const elsewhere = installed.filter(([, entry]) => entry.resolved !== undefined && !entry.resolved.startsWith('https://registry.npmjs.org/'));
    expect(elsewhere.map(([key, entry]) => `${key} ${entry.resolved}`)).toEqual([]);
    const specs = { ...manifest.dependencies, ...manifest.devDependencies } as Record<string, string>;
    expect(Object.entries(specs).filter(([, spec]) => !/^[~^]?\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec))).toEqual([]);
  });

  it('lets only the packages the project allows run install scripts (native builds)', () => {
    const withScripts = installed.filter(([, entry]) => entry.hasInstallScript).map(([key]) => key.replace(/^.*node_modules\//, ''));
    expect(withScripts.sort()).toEqual(Object.keys(manifest.allowScripts).sort());
  });

  it('locks every dependency the manifest names, at a version its range accepts', () => {
    const specs = { ...manifest.dependencies, ...manifest.devDependencies } as Record<string, string>;
    for (const [name, spec] of Object.entries(specs)) {
      const locked = lock.packages[`node_modules/${name}`]?.version;
      expect({ name, locked: locked !== undefined }).toEqual({ name, locked: true });
      const [major, minor] = spec.replace(/^[~^]/, '').split('.').map(Number) as [number, number];
      const [lockedMajor, lockedMinor] = locked!.split('.').map(Number) as [number, number];
      expect({ name, major: lockedMajor }).toEqual({ name, major });
      if (spec.startsWith('~')) expect({ name, minor: lockedMinor }).toEqual({ name, minor });
      else expect(lockedMinor, name).toBeGreaterThanOrEqual(major === 0 ? minor : 0);
    }
  });
});
