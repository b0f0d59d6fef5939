import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The front ends live in ui/ and are built into ui/dist: the window's (index.html, which
// tauri.conf.json serves) and the participants' page (room.html, which the room server
// embeds with the files Vite's manifest lists for it).
export default defineConfig({
  root: 'ui',
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari15',
    sourcemap: false,
    manifest: true,
    rollupOptions: {
      input: { window: 'ui/index.html', room: 'ui/room.html' },
    },
  },
  test: {
    root: '.',
    include: ['ui/src/**/*.test.ts'],
  },
});
