// A second build served by the same server: the open page offers it and runs
// it only after the person agrees.
import { test, expect, expectControlledByServiceWorker, DIST_B, LABEL_A, LABEL_B } from '../fixtures/server';

test('a new build is offered, and runs only after consent', async ({ page, server }) => {
  await page.goto(server.url + '/about');
  await expectControlledByServiceWorker(page);
  await expect(page.getByText(LABEL_A)).toBeVisible();
  const cachesBefore = await page.evaluate(() => caches.keys());
  expect(cachesBefore).toHaveLength(1);

  server.deploy(DIST_B);
  // The person comes back to the tab: the app checks for a new build.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

  const banner = page.getByRole('status').filter({ hasText: '有新版本可用' });
  await expect(banner).toBeVisible();
  // Nothing switched behind the person's back.
  await expect(page.getByText(LABEL_A)).toBeVisible();

  await banner.getByRole('button', { name: '立即更新' }).click();
  await expect(page.getByText(LABEL_B)).toBeVisible();
  await expect(page.getByText(LABEL_A)).toHaveCount(0);

  // The old build's cache is gone; the new one is named after the new build.
  const cachesAfter = await page.evaluate(() => caches.keys());
  expect(cachesAfter).toHaveLength(1);
  expect(cachesAfter[0]).not.toBe(cachesBefore[0]);
});

test('"Later" keeps the running build', async ({ page, server }) => {
  await page.goto(server.url + '/about');
  await expectControlledByServiceWorker(page);
  server.deploy(DIST_B);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  const banner = page.getByRole('status').filter({ hasText: '有新版本可用' });
  await banner.getByRole('button', { name: '稍后' }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByText(LABEL_A)).toBeVisible();
});
