import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk-browser',
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/setup.ts'],
  },
});
