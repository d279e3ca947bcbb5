import { defineConfig } from 'vitest/config';

// One runner for every tier: pure rules, stores on both dialects, HTTP through app.inject(), and the
// browser tests under e2e/ that drive the system Chromium against a real server.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['./src/platform/testing/global-setup.ts'],
  },
});
