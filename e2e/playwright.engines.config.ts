// The citizen journey, Learn and the staff console in WebKit (WebKitGTK's
// MiniBrowser) and Firefox (ESR), over W3C WebDriver (selenium-webdriver):
// Playwright Test is only the runner here (fixtures, expect, reports), it
// drives no browser. `npx playwright test -c playwright.engines.config.ts`
// (scripts/test runs it after the Chromium suite, on the same builds).
import { defineConfig } from '@playwright/test';
import type { EngineOptions } from './engines/support/fixtures';

export default defineConfig<EngineOptions>({
  testDir: './engines',
  // GW_ENGINE_PROBE=1 runs the engine-gap inventory (scripts/engine-gaps)
  // instead, GW_ENGINE_BENCH=1 the photo benchmark (scripts/bench).
  testMatch: process.env.GW_ENGINE_PROBE ? '*.probe.ts' : process.env.GW_ENGINE_BENCH ? '*.bench.ts' : '*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: 'test-results/engines',
  reporter: [['list'], ['json', { outputFile: 'test-results/engines.json' }]],
  projects: [
    { name: 'webkit', use: { engine: 'webkit' } },
    { name: 'firefox', use: { engine: 'firefox' } },
  ],
});
