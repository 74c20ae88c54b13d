// The citizen app against two instances behind nginx (cluster/): run by
// scripts/test-cluster, which starts PostgreSQL, S3, the instances and
// nginx first and passes their addresses in GW_CLUSTER_* variables.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './fixtures/chromium';

export default defineConfig({
  testDir: './cluster',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/cluster.json' }]],
  outputDir: 'test-results/cluster',
  use: {
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'chromium' }],
});
