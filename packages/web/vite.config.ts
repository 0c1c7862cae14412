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

/**
 * The engine worker's script (its rules and code; the models come after) asked for in the page's head,
 * beside the page's own script: on a slow link it then arrives with it instead of a round trip after the
 * page has run, and `new Worker` finds it in the HTTP cache (hashed assets are cached for good). And the
 * pages' own chunks (each page but the lens loads its code when opened) named in a meta tag, so the page
 * can ask the service worker to keep them all for offline use.
 */
function shellAssets(): Plugin {
  return {
    name: 'steady-shell-assets',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const files = Object.keys(ctx.bundle ?? {});
        const worker = files.find((f) => /^assets\/worker-[^/]+\.js$/.test(f));
        if (!worker) throw new Error('the engine worker was not built');
        const pages = Object.values(ctx.bundle ?? {})
          .filter((c) => c.type === 'chunk' && !c.isEntry)
          .map((c) => `/${c.fileName}`);
        return [
          { tag: 'link', attrs: { rel: 'prefetch', href: `/${worker}` }, injectTo: 'head' },
          { tag: 'meta', attrs: { name: 'steady-pages', content: pages.join(' ') }, injectTo: 'head' },
        ];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress(), shellAssets()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://localhost:8080', '/ws': { target: 'ws://localhost:8080', ws: true } } },
});
