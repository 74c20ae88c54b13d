// First visit online, then the network cut: every route still renders, from
// the service worker, with no failed request for an app file.
import type { Page } from '@playwright/test';
import { test, expect, expectControlledByServiceWorker } from '../fixtures/server';
import { ROUTES } from '../fixtures/routes';

/** Collects every app-file request that fails or answers with an error. */
function watchAppFileFailures(page: Page, origin: string): string[] {
  const failures: string[] = [];
  const isAppFile = (url: string) => url.startsWith(origin) && !new URL(url).pathname.startsWith('/api/');
  page.on('requestfailed', (request) => {
    if (isAppFile(request.url())) failures.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (isAppFile(response.url()) && response.status() >= 400) {
      failures.push(`${response.url()}: HTTP ${response.status()}`);
    }
  });
  return failures;
}

test('after one online visit every route renders with the network cut', async ({ page, context, server }) => {
  await page.goto(server.url + '/');
  await expect(page.getByRole('heading', { level: 1, name: ROUTES[0].heading.zh })).toBeVisible();
  await expectControlledByServiceWorker(page);

  // Cut the network both ways: the browser is offline and the server is gone.
  await server.stop();
  await context.setOffline(true);
  const failures = watchAppFileFailures(page, server.url);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: ROUTES[0].heading.zh })).toBeVisible();

  for (const route of ROUTES) {
    // A full navigation to each route: only the service worker can answer it.
    await page.goto(server.url + route.path);
    await expect(page.getByRole('heading', { level: 1, name: route.heading.zh })).toBeVisible();
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  }

  // In-app navigation by the bottom bar works offline too.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' }).click();
  await expect(page.getByRole('heading', { level: 1, name: ROUTES[0].heading.zh })).toBeVisible();

  expect(failures).toEqual([]);
});

test('the API is never answered from the cache', async ({ page, context, server }) => {
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  const online = await page.evaluate(async () => (await fetch('/api/health')).status);
  expect(online).toBe(200);

  await server.stop();
  await context.setOffline(true);
  const offline = await page.evaluate(async () => {
    try {
      const response = await fetch('/api/health');
      return `answered ${response.status}`;
    } catch {
      return 'network error';
    }
  });
  expect(offline).toBe('network error');
});
