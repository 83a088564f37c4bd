import path from 'node:path';
import ts from 'typescript';
import { REPOSITORY_ROOT, scriptOf } from './import-graph.js';

const DRIVER = 'better-sqlite3';
const DRIVER_TYPINGS = /[\\/]node_modules[\\/](@types[\\/])?better-sqlite3[\\/]/;
const PACKAGES = /[\\/]node_modules[\\/]/;

/** A line where a file touches the SQLite driver: imports it, or uses something it declares. */
export interface DriverUse {
  file: string;
  line: number;
  /** The line, as written. */
  code: string;
  /** What it uses: the driver's members and types by name, or the module imported. */
  names: string[];
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(REPOSITORY_ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, REPOSITORY_ROOT, undefined, configFile).options;
}

/**
 * Other packages' typings are read as empty files: telling the driver's members apart needs
 * only the driver's own (and the language's), and parsing them all would take most of the time.
 */
function hostReadingOnlyTheDriverTypings(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const languageTypings = path.dirname(host.getDefaultLibFileName(options));
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    PACKAGES.test(fileName) && !DRIVER_TYPINGS.test(fileName) && path.dirname(fileName) !== languageTypings
      ? ts.createSourceFile(fileName, '', languageVersion)
      : getSourceFile(fileName, languageVersion, ...rest);
  return host;
}

const isDriver = (specifier: string) => specifier === DRIVER || specifier.startsWith(`${DRIVER}/`);

/**
 * Every import of the driver in `files` (type-only and dynamic ones included, Svelte components
 * too), and every use, through any name, of a method, property or type the driver declares:
 * `db.prepare(…)`, `db.pragma(…)`, `db.transaction(…)`, `db.close()` and the like. Uses are
 * told apart by the type checker, so a RegExp's `exec` is not one.
 */
export function driverUses(files: readonly string[]): DriverUse[] {
  const found = new Map(files.map((file) => [file, new Map<number, Set<string>>()]));
  const record = (file: string, line: number, name: string) => {
    const names = found.get(file)!;
    names.set(line, (names.get(line) ?? new Set()).add(name));
  };
  for (const file of files) {
    const script = scriptOf(file);
    for (const imported of ts.preProcessFile(script, true, true).importedFiles) {
      if (isDriver(imported.fileName)) record(file, script.slice(0, imported.pos).split('\n').length, imported.fileName);
    }
  }

  const typeScriptFiles = files.filter((file) => file.endsWith('.ts'));
  const options = compilerOptions();
  const program = ts.createProgram(typeScriptFiles, options, hostReadingOnlyTheDriverTypings(options));
  const checker = program.getTypeChecker();
  // Only a name the driver declares can be one of its members: the checker is asked about those alone.
  const driverNames = namesDeclaredIn(program.getSourceFiles().filter((source) => DRIVER_TYPINGS.test(source.fileName)));
  const declaredByDriver = (symbol: ts.Symbol | undefined): boolean => {
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return target?.declarations?.some((declaration) => DRIVER_TYPINGS.test(declaration.getSourceFile().fileName)) ?? false;
  };
  const symbolOf = (identifier: ts.Identifier): ts.Symbol | undefined => {
    const { parent } = identifier;
    // In `const { open } = db`, the name stands for the local variable; the member it reads is the pattern's.
    if (ts.isBindingElement(parent) && !parent.propertyName && ts.isObjectBindingPattern(parent.parent)) {
      return checker.getTypeAtLocation(parent.parent).getProperty(identifier.text);
    }
    return checker.getSymbolAtLocation(identifier);
  };
  for (const file of typeScriptFiles) {
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && driverNames.has(node.text) && declaredByDriver(symbolOf(node))) {
        record(file, source.getLineAndCharacterOfPosition(node.getStart()).line + 1, node.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  return files.flatMap((file) => {
    const text = scriptOf(file).split('\n');
    return [...found.get(file)!]
      .sort(([a], [b]) => a - b)
      .map(([line, names]) => ({ file, line, code: text[line - 1]!.trim(), names: [...names] }));
  });
}

function namesDeclaredIn(sources: readonly ts.SourceFile[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (name && ts.isIdentifier(name)) names.add(name.text);
    ts.forEachChild(node, visit);
  };
  sources.forEach(visit);
  return names;
}
