#!/usr/bin/env node
// Runs the CLI from its TypeScript sources: tsx compiles on load, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
