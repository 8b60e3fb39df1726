import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { HookSetup } from '../server';

/**
 * Imports a hooks module: its default export (or an export named `hooks`) is a function
 * `($) => void` that registers hooks, e.g. `$.Experiment.concluded(async (e, $) => …)`.
 */
export async function loadHooks(path: string): Promise<HookSetup> {
  // tsImport compiles TypeScript (and ESM or CommonJS JavaScript) whatever the module's package says.
  const module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as {
    default?: unknown;
    hooks?: unknown;
  };
  // A CommonJS module's exports arrive as `default`, so look one level down as well.
  const inner = (module.default ?? {}) as { default?: unknown; hooks?: unknown };
  const setup = [module.default, module.hooks, inner.default, inner.hooks].find(
    (candidate) => typeof candidate === 'function',
  );
  if (typeof setup !== 'function') {
    throw new Error(
      `${path} must export a function ($) => void as its default export or as 'hooks'`,
    );
  }
  return setup as HookSetup;
}
