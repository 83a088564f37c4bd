import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'svelte/compiler';
import ts from 'typescript';

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SOURCE_FILE = /\.(ts|svelte)$/;

/** The .ts and .svelte files under `dir`, recursively (declaration files aside). */
export function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((relative) => path.join(dir, relative))
    .filter((file) => SOURCE_FILE.test(file) && !file.endsWith('.d.ts') && statSync(file).isFile())
    .sort();
}

/**
 * What TypeScript should read of a file: a component's <script> blocks, in place, with the
 * markup around them blanked out (so that lines and offsets stay those of the file); any
 * other file whole.
 */
export function scriptOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.svelte')) return text;
  const component = parse(text, { modern: true });
  let script = text.replace(/[^\n]/g, ' ');
  // A component without a module (or instance) script has none of that key, whatever the typings say.
  for (const block of [component.module, component.instance]) {
    if (!block) continue;
    const [start, end] = offsetsOf(block.content);
    script = script.slice(0, start) + text.slice(start, end) + script.slice(end);
  }
  return script;
}

/** The parser puts offsets in the source on every node; estree's typings of a Program leave them out. */
function offsetsOf(node: object): [number, number] {
  const { start, end } = node as { start: number; end: number };
  return [start, end];
}

/**
 * The files of this repository that `file` imports, type-only imports included: they tie two
 * files together as much as any other. Packages are left out. An import that points at no
 * file throws, so that a renamed file cannot hide an edge.
 */
export function localImportsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(scriptOf(file), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolveLocalImport(file, specifier));
}

function resolveLocalImport(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  // Sources import each other by their compiled names: `./x.js` is `./x.ts`, `./x.svelte.js` is `./x.svelte.ts`.
  const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, path.join(target, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new Error(`${path.relative(REPOSITORY_ROOT, from)} imports ${specifier}, which is no file`);
  return found;
}

/** Each circle of imports among `files`, as the files met going round it once (Tarjan's components). */
export function importCycles(files: readonly string[]): string[][] {
  const edges = new Map(files.map((file) => [file, localImportsOf(file)]));
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (file: string) => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(next)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file)?.includes(file)) components.push(component);
  };
  for (const file of files) if (!index.has(file)) visit(file);

  return components.map((component) => circleThrough(component, edges));
}

/** One way round a strongly connected component, starting from its first file in name order. */
function circleThrough(component: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const path: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string): boolean => {
    path.push(file);
    seen.add(file);
    for (const next of edges.get(file) ?? []) {
      if (next === start) return true;
      if (members.has(next) && !seen.has(next) && walk(next)) return true;
    }
    path.pop();
    return false;
  };
  walk(start);
  return path;
}
