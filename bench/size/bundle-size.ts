import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bytesBySource } from './source-map-bytes';

/** The sizes of one bundle, in bytes. */
export interface BundleSize {
  minified: number;
  gzip: number;
}

/** One source file's share of a bundle. */
export interface ModuleShare {
  /** Path relative to the repo (`packages/core/src/hash/murmur3.ts`) or the npm package's name. */
  module: string;
  /** Bytes of the minified bundle it produced. */
  minified: number;
  /** How much smaller the gzipped bundle is without its bytes: its marginal cost. */
  gzip: number;
}

const buildOptions = (source: string, resolveDir: string, external: string[]) =>
  ({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    logLevel: 'silent',
  }) as const;

const gzip = (code: string | Uint8Array) => gzipSync(code, { level: 9 }).length;

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
  const result = await build(buildOptions(source, resolveDir, external));
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzip: gzip(code) };
}

/**
 * The same bundle with each source file's share: its minified bytes (attributed through the
 * source map) and its marginal gzip cost (the gzipped bundle less the gzipped bundle without
 * those bytes; the shares add up to a little less than the total, which is gzip's sharing).
 */
export async function moduleShares(
  source: string,
  resolveDir: string,
  external: string[] = [],
): Promise<ModuleShare[]> {
  const result = await build({
    ...buildOptions(source, resolveDir, external),
    sourcemap: 'external',
    outfile: 'bundle.js',
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map'))!.text);
  const total = gzip(code);
  return bytesBySource(code, map).map(({ source: file, owned }) => {
    const without = code
      .split('')
      .filter((_, i) => !owned[i])
      .join('');
    return {
      module: file.replace(/^(\.\.\/)+/, '').replace(/.*node_modules\/(?!.*node_modules)/, ''),
      minified: owned.filter(Boolean).length,
      gzip: total - gzip(without),
    };
  });
}
