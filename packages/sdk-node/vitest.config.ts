import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk-node',
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
