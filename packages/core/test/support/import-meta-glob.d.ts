// Vite's import.meta.glob, as vitest provides it; core's tsconfig loads no vite types.
interface ImportMeta {
  glob<T = unknown>(
    pattern: string,
    options: { query?: string; import?: string; eager: true },
  ): Record<string, T>;
}
