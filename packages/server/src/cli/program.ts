import { Command } from 'commander';
import { createLogger } from '../logger';
import { createServer } from '../server';
import { realtimeOptionsFromEnv } from '../sync/realtime-env';
import { loadHooks } from './load-hooks';
import { formatInitialKeys } from './print-keys';
import { resolveDb, resolveHooks, resolvePort } from './serve-options';

interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  hooks?: string;
}

/** Runs `switchyard serve` until SIGINT or SIGTERM, then shuts down gracefully. */
async function serve(flags: ServeFlags): Promise<void> {
  const db = resolveDb(flags.db);
  const port = resolvePort(flags.port);
  const hooksPath = resolveHooks(flags.hooks);
  const adminKey = process.env.SWITCHYARD_ADMIN_KEY || undefined;
  const logger = createLogger();
  const server = await createServer({
    db,
    logger,
    realtime: realtimeOptionsFromEnv(),
    ...(adminKey ? { adminKey } : {}),
    ...(hooksPath ? { hooks: await loadHooks(hooksPath) } : {}),
  });
  if (server.initialKeys)
    process.stdout.write(formatInitialKeys(server.initialKeys, adminKey !== undefined));
  const host = flags.host ?? process.env.HOST ?? '0.0.0.0';
  const url = await server.listen(port, host);
  const shown = url.replace('://0.0.0.0:', '://localhost:');
  process.stdout.write(
    `Switchyard serving ${shown} (${db.startsWith('postgres') ? 'PostgreSQL' : db})\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The `switchyard` command line. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('switchyard')
    .description(
      'Switchyard: feature flags and A/B experiments — the sync server and its management API',
    );
  program
    .command('serve')
    .description('serve the management API and the SDK endpoints')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 4400)')
    .option('--host <host>', 'address to bind (env HOST, default 0.0.0.0)')
    .option(
      '--db <db>',
      'SQLite file, :memory:, or postgres:// URL (env SWITCHYARD_DB, default ./switchyard.db where you ran the command)',
    )
    .option(
      '--hooks <module>',
      'module whose default export ($) => void registers hooks (env SWITCHYARD_HOOKS)',
    )
    .addHelpText(
      'after',
      "\nEnvironment: SWITCHYARD_ADMIN_KEY sets the initial admin key on first start; LOG_LEVEL sets pino's level;\n" +
        "SWITCHYARD_EVENTS_PER_SECOND sets each key's ingestion rate (0: unlimited); SWITCHYARD_SYNC_HISTORY the config\n" +
        'changes kept per environment for clients that resume.',
    )
    .action(serve);
  return program;
}
