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

test.describe('before the service worker has installed', () => {
  // The first visit on a phone whose signal drops right away: the service
  // worker is still fetching the app for offline use (blocked here, so the
  // race the phone can lose is lost every time).
  test.use({ serviceWorkers: 'block' });

  test('a report filed as the signal drops shows its page, waiting, and is sent when the signal returns', async ({
    page,
    context,
    server,
  }) => {
    await page.goto(server.url + '/report/new');
    await expect(page.getByRole('button', { name: '提交，联网后自动发送' })).toBeVisible();
    await context.setOffline(true);
    await page.getByRole('radio', { name: '噪声' }).check();
    await page.getByRole('textbox', { name: '现场描述' }).fill('工地夜间打桩，持续到凌晨两点。');
    await page.getByRole('textbox', { name: '地址或地标' }).fill('滨江路与学院路口工地');
    await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
    // The queued report's page, from the build already loaded: no page load.
    await expect(page.getByText('待发送', { exact: true })).toBeVisible();
    await expect(page.getByText('工地夜间打桩，持续到凌晨两点。')).toBeVisible();

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 30_000 });
    // The server's first case: the report arrived, and once.
    await expect(page.getByText(/^GW-\d{4}-000001$/)).toBeVisible();
  });

  test('offline before the app is saved on the phone, a link to another part says so and the page stays', async ({
    page,
    context,
    server,
  }) => {
    await page.goto(server.url + '/');
    const home = page.getByRole('heading', { level: 1, name: ROUTES[0].heading.zh });
    await expect(home).toBeVisible();
    await context.setOffline(true);
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '我要举报' }).click();
    await expect(page.getByRole('alert')).toHaveText('这一页还没有保存到这部手机上，联网后才能打开。');
    await expect(home).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/');

    // Online again, the same link opens the form.
    await context.setOffline(false);
    await nav.getByRole('link', { name: '我要举报' }).click();
    await expect(page.getByRole('button', { name: '提交，联网后自动发送' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
