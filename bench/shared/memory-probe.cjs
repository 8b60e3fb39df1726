// Preloaded (node --expose-gc --require) into a server process the benchmark measures: on
// SIGUSR2 it collects garbage, then writes the process's memory figures as JSON to the file
// named by SWITCHYARD_BENCH_MEMORY_FILE. The harness reads both servers the same way.
'use strict';
const { writeFileSync, renameSync } = require('node:fs');

const file = process.env.SWITCHYARD_BENCH_MEMORY_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    const collected = typeof globalThis.gc === 'function';
    if (collected) globalThis.gc();
    const { rss, heapUsed } = process.memoryUsage();
    // Written then renamed, so the reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ rss, heapUsed, collected }));
    renameSync(`${file}.tmp`, file);
  });
}
