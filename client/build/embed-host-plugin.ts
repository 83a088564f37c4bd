import { build, type Plugin, type Rolldown } from 'vite';

/**
 * Emits the host-page script of the embed snippet (`<script src=".../embed.js" async>`) at a
 * fixed name. It must be one classic script with no imports, which the multi-page build
 * cannot promise (modules it shares with the pages would become chunks), so it is bundled
 * on its own as an IIFE and added to the output.
 */
export function embedHostScript(entry: string, fileName = 'embed.js'): Plugin {
  return {
    name: 'potwatch-embed-host-script',
    apply: 'build',
    async generateBundle() {
      const result = await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          write: false,
          minify: true,
          copyPublicDir: false,
          lib: { entry, formats: ['iife'], name: 'potwatchEmbedHost', fileName: () => fileName },
        },
      });
      const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
      const chunk = outputs.flatMap((output) => output.output).find((file) => file.type === 'chunk');
      if (!chunk) throw new Error(`the embed host script ${entry} produced no code`);
      this.emitFile({ type: 'asset', fileName, source: chunk.code });
    },
  };
}
