import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EmbedTheme } from '../../shared/embed-options.js';
import { escapeMarkup } from '../../shared/escape-markup.js';

/** How long a built file is trusted before its modification time is looked at again. */
const RECHECK_MS = 1000;

/**
 * A file of the build, read again when a new build replaces it (checked at most once a second,
 * so that asking costs nothing per request).
 */
export class BuiltFile<T> {
  private loaded: { version: string; value: T } | undefined;
  private checkedAt = -Infinity;
  private version: string | undefined;

  constructor(
    readonly file: string,
    private readonly read: (file: string) => T,
  ) {}

  /** The file's modification time, or undefined when it is not built. */
  currentVersion(now = Date.now()): string | undefined {
    if (now - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = now;
      try {
        this.version = String(statSync(this.file).mtimeMs);
      } catch {
        this.version = undefined;
      }
    }
    return this.version;
  }

  get(): T | undefined {
    const version = this.currentVersion();
    if (version === undefined) return undefined;
    if (this.loaded?.version !== version) this.loaded = { version, value: this.read(this.file) };
    return this.loaded.value;
  }
}

export interface PageParts {
  lang: string;
  theme: EmbedTheme;
  title: string;
  /** Markup for the page's root element (`<div id="…">`). */
  body: string;
  /** What the page's script starts from, put in a JSON script element. */
  data: unknown;
  /** More markup for the head (meta tags). */
  head?: string;
}

/**
 * A page of the built client (an HTML file Vite wrote into dist/client) as the server sends it
 * with content: language, theme, title, the server-drawn markup in its root element and the data
 * the script takes over from. Its style sheets are inlined, so that nothing stands between the
 * HTML and its first paint. A compare page or a pot page fills its own file the same way.
 */
export class PageShell {
  private readonly template: BuiltFile<string>;

  constructor(
    clientDir: string,
    file: string,
    /** The id of the element the page's script mounts into. */
    private readonly rootId: string,
    /** The id of the JSON script element the page's script reads. */
    private readonly dataId: string,
  ) {
    this.template = new BuiltFile(path.join(clientDir, file), (htmlFile) => inlineStyleSheets(readFileSync(htmlFile, 'utf8'), clientDir));
  }

  /** Changes with each build; undefined when the client is not built. */
  version(): string | undefined {
    return this.template.currentVersion();
  }

  fill(parts: PageParts): string | undefined {
    const template = this.template.get();
    if (template === undefined) return undefined;
    const themed = parts.theme === 'auto' ? '' : ` data-theme="${parts.theme}" style="color-scheme:${parts.theme}"`;
    const root = `<div id="${this.rootId}">`;
    // Replaced by functions: the texts may hold `$&` and the like, which replacement strings interpret.
    return template
      .replace(/<html lang="[^"]*">/, () => `<html lang="${escapeMarkup(parts.lang)}"${themed}>`)
      .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeMarkup(parts.title)}</title>${parts.head ? `\n    ${parts.head}` : ''}`)
      // The page shows once its markup is all there: a document painted while it still streams in
      // would move what it shows as the rest arrives.
      .replace('</head>', () => `  <link rel="expect" href="#${this.dataId}" blocking="render" />\n  </head>`)
      .replace(
        `${root}</div>`,
        () => `${root}${parts.body}</div>\n    <script type="application/json" id="${this.dataId}">${scriptSafeJson(parts.data)}</script>`,
      );
  }
}

/** JSON that cannot end the script element it sits in, whatever text it carries. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Replaces each `<link rel="stylesheet" href="/assets/…">` by a `<style>` with the file's content. */
function inlineStyleSheets(html: string, clientDir: string): string {
  return html.replace(/<link rel="stylesheet"[^>]*href="(\/assets\/[\w.-]+\.css)"[^>]*>/g, (_, href: string) => {
    const css = readFileSync(path.join(clientDir, href), 'utf8');
    return `<style>${css}</style>`;
  });
}
