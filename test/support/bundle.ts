import { build } from 'esbuild';

/**
 * Bundles a TypeScript entry for the browser (ESM, everything inlined), from the workspace
 * packages' sources as they are now: no build step, no file written.
 */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
