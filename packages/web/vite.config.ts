import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Brotli and gzip copies of every text file in dist, made once at build; the server sends them as is. */
function precompress(dir = 'dist'): Plugin {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  return {
    name: 'steady-precompress',
    apply: 'build',
    closeBundle() {
      for (const f of walk(dir)) {
        if (!/\.(js|css|html|svg|json|webmanifest)$/.test(f) || statSync(f).size < 1024) continue;
        const body = readFileSync(f);
        writeFileSync(`${f}.gz`, gzipSync(body, { level: 9 }));
        writeFileSync(
          `${f}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://localhost:8080', '/ws': { target: 'ws://localhost:8080', ws: true } } },
});
