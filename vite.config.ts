import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { BuildEnvironmentOptions } from 'vite';
import { defineConfig } from 'vitest/config';
import { embedHostScript } from './client/build/embed-host-plugin.js';
import { precompress } from './client/build/precompress-plugin.js';

const server = process.env.POTWATCH_DEV_SERVER ?? 'http://127.0.0.1:3000';

/**
 * `vite build` builds the browser's client into dist/client; `vite build --ssr` builds the
 * components the server draws pages with (the embed) into dist/ssr, for Node.
 */
const browserBuild: BuildEnvironmentOptions = {
  outDir: '../dist/client',
  emptyOutDir: true,
  rolldownOptions: {
    input: { index: 'client/index.html', embed: 'client/embed.html' },
  },
};

const serverBuild: BuildEnvironmentOptions = {
  outDir: '../dist/ssr',
  emptyOutDir: true,
  copyPublicDir: false,
  rolldownOptions: { input: { 'embed-body': fileURLToPath(new URL('client/src/embed/ssr.ts', import.meta.url)) } },
};

export default defineConfig(({ isSsrBuild }) => ({
  root: 'client',
  plugins: isSsrBuild ? [svelte()] : [svelte(), embedHostScript('client/src/embed/host.ts'), precompress()],
  build: isSsrBuild ? serverBuild : browserBuild,
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
      '/socket.io': { target: server, ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
}));
