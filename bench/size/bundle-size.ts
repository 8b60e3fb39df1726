import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The sizes of one bundle, in bytes. */
export interface BundleSize {
  minified: number;
  gzip: number;
}

/**
 * Bundles `source` (a module of imports and exports, resolved from `resolveDir`) the way a
 * browser app's build would: esbuild, ESM, platform browser, minified; then gzips it at level 9.
 * Packages in `external` stay out (peer dependencies such as React).
 */
export async function bundleSize(
  source: string,
  resolveDir: string,
  external: string[] = [],
): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
