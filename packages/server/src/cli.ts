// The `switchyard` command (bin/switchyard.mjs loads this file through tsx).
import { buildProgram } from './cli/program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
