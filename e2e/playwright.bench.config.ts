import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './fixtures/chromium';

// Benchmarks (scripts/bench runs them): `npx playwright test -c playwright.bench.config.ts`.
// They print numbers and never fail on a timing; the default config
// (playwright.config.ts, testDir ./tests) never picks them up.
// Same browser and launch options as the e2e suite (fixtures/chromium.ts).

export default defineConfig({
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  // Its own output folder: the e2e suite's test-results/results.json stays untouched.
  outputDir: 'test-results/bench',
  globalSetup: './bench/global.ts',
  timeout: 600_000,
  expect: { timeout: 120_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'allow',
    trace: 'off',
    actionTimeout: 120_000,
    navigationTimeout: 60_000,
    // The benchmark injects browser-image-compression into the app's page to
    // time both in one place; the app's CSP (rightly) forbids inline scripts.
    bypassCSP: true,
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'chromium' }],
});
