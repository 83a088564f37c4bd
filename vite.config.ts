import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { embedHostScript } from './client/build/embed-host-plugin.js';
import { precompress } from './client/build/precompress-plugin.js';

const server = process.env.POTWATCH_DEV_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'client',
  plugins: [svelte(), embedHostScript('client/src/embed/host.ts'), precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    rolldownOptions: {
      input: { index: 'client/index.html', embed: 'client/embed.html' },
    },
  },
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
});
