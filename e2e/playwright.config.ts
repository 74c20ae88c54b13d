import { defineConfig } from '@playwright/test';
import { toneWav } from './fixtures/audio';

// Chromium's fake microphone plays this file (a generated tone) to MediaRecorder.
const FAKE_MIC = toneWav();

// Debian's Chromium, never a downloaded browser. As root it needs
// --no-sandbox; the background-networking flags keep it off the closed network.
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${FAKE_MIC}`,
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
