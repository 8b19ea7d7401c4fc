// The default theme: built into dist/, which the server serves as Komari's embedded theme
// (themes.md §4). index.html keeps the four placeholders the server replaces verbatim.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:25774', ws: true } } },
});
