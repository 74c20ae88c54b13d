// The fixtures every WebKit / Firefox spec uses: the engine of the project
// (playwright.engines.config.ts), an X display for WebKitGTK (one per
// worker), and per test the real server over its own copy of build A, the
// gate in front of it (the page's origin, switchable offline), and a fresh
// browser session. A failed test gets a screenshot and the driver's log.
import { writeFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { DIST_A, GreenWatchServer } from '../../fixtures/server';
import { Gate } from '../../fixtures/gate';
import { EngineBrowser, Xvfb, type BrowserOptions, type EngineName } from './browsers';
import { Screen } from './screen';

export interface EngineOptions {
  engine: EngineName;
}

interface WorkerFixtures {
  engine: EngineName;
  display: string | null;
}

interface TestFixtures {
  browserOptions: BrowserOptions;
  server: GreenWatchServer;
  gate: Gate;
  session: EngineBrowser;
  screen: Screen;
  /** Opens one more browser of the same engine (another person's device). */
  openBrowser: () => Promise<Screen>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  engine: ['firefox', { option: true, scope: 'worker' }],
  display: [
    async ({ engine }, use) => {
      if (engine !== 'webkit') return use(null);
      const xvfb = await Xvfb.start();
      await use(xvfb.display);
      await xvfb.stop();
    },
    { scope: 'worker' },
  ],
  browserOptions: [{}, { option: true }],
  server: async ({}, use) => {
    const server = await GreenWatchServer.start(DIST_A);
    await use(server);
    await server.dispose();
  },
  gate: async ({ server }, use) => {
    const gate = await Gate.start(server.url);
    await use(gate);
    await gate.stop();
  },
  session: async ({ engine, display, browserOptions }, use, testInfo) => {
    const browser = await EngineBrowser.start(engine, display, browserOptions);
    testInfo.annotations.push({ type: 'browser', description: await browser.version() });
    await use(browser);
    if (testInfo.status !== testInfo.expectedStatus) {
      try {
        const png = Buffer.from(await browser.driver.takeScreenshot(), 'base64');
        writeFileSync(testInfo.outputPath('failure.png'), png);
        await testInfo.attach('screenshot', { body: png, contentType: 'image/png' });
      } catch {
        // no screenshot when the session is gone
      }
      writeFileSync(testInfo.outputPath('driver.log'), browser.driverLog());
      await testInfo.attach('driver log', { body: browser.driverLog(), contentType: 'text/plain' });
    }
    await browser.quit();
  },
  screen: async ({ session }, use) => {
    await use(new Screen(session.driver, session.engine));
  },
  openBrowser: async ({ engine, display }, use) => {
    const opened: EngineBrowser[] = [];
    await use(async () => {
      const browser = await EngineBrowser.start(engine, display);
      opened.push(browser);
      return new Screen(browser.driver, browser.engine);
    });
    for (const browser of opened) await browser.quit();
  },
});

export { expect };
