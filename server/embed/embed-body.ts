import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { CompareBodyInput, EmbedBodyInput } from '../../client/src/embed/ssr.js';
import { BuiltFile } from './page-shell.js';

type EmbedBodyModule = typeof import('../../client/src/embed/ssr.js');

/**
 * The embed's Svelte component, built for the server (`vite build --ssr`, dist/ssr): it draws
 * the markup the browser's copy of the component then takes over. Loaded again after a new build.
 */
export class EmbedBody {
  private readonly built: BuiltFile<Promise<EmbedBodyModule>>;
  private module: EmbedBodyModule | undefined;
  private moduleVersion: string | undefined;

  constructor(ssrDir: string) {
    // The version in the URL makes Node load a rebuilt file instead of the one it has already.
    this.built = new BuiltFile(path.join(ssrDir, 'embed-body.js'), (file) =>
      import(`${pathToFileURL(file).href}?v=${this.built.currentVersion()}`),
    );
  }

  version(): string | undefined {
    return this.built.currentVersion();
  }

  /** Loads the built component if needed; false when it is not built. */
  async ready(): Promise<boolean> {
    const version = this.built.currentVersion();
    const loading = this.built.get();
    if (!loading || version === undefined) return false;
    if (this.moduleVersion !== version) {
      this.module = await loading;
      this.moduleVersion = version;
    }
    return true;
  }

  /** The markup; `ready()` must have said yes. */
  render(input: EmbedBodyInput): string {
    if (!this.module) throw new Error('the server-side embed component is not loaded');
    return this.module.renderEmbedBody(input);
  }

  /** The compare embed's markup; `ready()` must have said yes. */
  renderCompare(input: CompareBodyInput): string {
    if (!this.module) throw new Error('the server-side embed component is not loaded');
    return this.module.renderCompareBody(input);
  }
}
