/**
 * Runs a benchmark's `main` and exits: 0 when it finished, 1 with a one-line reason when it
 * threw (the process group's exit handler then kills any child left).
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
