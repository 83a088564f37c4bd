import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importCycles, REPOSITORY_ROOT, sourceFilesUnder } from '../helpers/import-graph.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => temps.splice(0).forEach((temp) => temp.remove()));

/** Writes `files` (relative name -> content) into a fresh folder; returns its source files. */
function project(files: Record<string, string>): { dir: string; sources: string[] } {
  const temp = makeTempDir('potwatch-imports-');
  temps.push(temp);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(temp.dir, name)), { recursive: true });
    writeFileSync(path.join(temp.dir, name), content);
  }
  return { dir: temp.dir, sources: sourceFilesUnder(temp.dir) };
}

const relative = (dir: string, cycles: string[][]) => cycles.map((cycle) => cycle.map((file) => path.relative(dir, file)));

describe('import circles', () => {
  it.each(['server', 'client', 'shared'])('there is none in %s/', (folder) => {
    const files = sourceFilesUnder(path.join(REPOSITORY_ROOT, folder));
    expect(files.length).toBeGreaterThan(5);
    expect(relative(REPOSITORY_ROOT, importCycles(files))).toEqual([]);
  });

  it('there is none across server/, client/ and shared/ together', () => {
    const files = ['server', 'client', 'shared'].flatMap((folder) => sourceFilesUnder(path.join(REPOSITORY_ROOT, folder)));
    expect(relative(REPOSITORY_ROOT, importCycles(files))).toEqual([]);
  });

  it('finds a circle closed by a type-only import, and says which way it goes', () => {
    const { dir, sources } = project({
      'app.ts': "import { start } from './start.js';\nexport const app = start;\n",
      'start.ts': "import type { Role } from './roles/role.js';\nexport const start = (role: Role) => role;\n",
      'roles/role.ts': "import type { app } from '../app.js';\nexport type Role = typeof app extends never ? 'a' : 'b';\n",
      'leaf.ts': "import { app } from './app.js';\nexport default app;\n",
    });
    expect(relative(dir, importCycles(sources))).toEqual([['app.ts', 'start.ts', 'roles/role.ts']]);
  });

  it('follows the imports of Svelte components and of .svelte.ts modules', () => {
    const { dir, sources } = project({
      'Panel.svelte':
        '<script module>\n  export const NAME = "panel";\n</script>\n' +
        "<script lang=\"ts\">\n  import { state } from './panel-state.svelte.js';\n</script>\n<p>{state.count}</p>\n",
      'panel-state.svelte.ts': "import Panel from './Panel.svelte';\nexport const state = $state({ count: 0, Panel });\n",
      'alone.svelte.ts': "import './Panel.svelte';\n",
    });
    expect(relative(dir, importCycles(sources))).toEqual([['Panel.svelte', 'panel-state.svelte.ts']]);
  });

  it('finds a file that imports itself, and fails on an import that points at no file', () => {
    const self = project({ 'loop.ts': "export * from './loop.js';\n" });
    expect(relative(self.dir, importCycles(self.sources))).toEqual([['loop.ts']]);
    const broken = project({ 'a.ts': "import { gone } from './renamed.js';\nexport const a = gone;\n" });
    expect(() => importCycles(broken.sources)).toThrow(/a\.ts imports \.\/renamed\.js, which is no file/);
  });

  it('leaves packages out and passes a graph without a circle', () => {
    const { sources } = project({
      'a.ts': "import express from 'express';\nimport { b } from './b.js';\nexport const a = [express, b];\n",
      'b.ts': "import './styles.css';\nexport const b = 1;\n",
      'styles.css': 'p { color: red; }\n',
    });
    expect(importCycles(sources)).toEqual([]);
  });
});
