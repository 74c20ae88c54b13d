// Moving around the app: links, the browser's back and forward, and where
// focus lands for someone using a screen reader or a keyboard.
import { test, expect } from '../fixtures/server';

test('links, back and forward move between pages without reloading', async ({ page, server }) => {
  // My reports, a report, checking a case and About are one build: moving
  // between them loads nothing.
  await page.goto(server.url + '/reports');
  await expect(page.getByRole('heading', { level: 1, name: '我的举报' })).toBeVisible();
  // A marker on the window survives only if no page load happens.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '举报渠道' }).click();
  await expect(page).toHaveURL(server.url + '/about');
  await expect(page.getByRole('heading', { level: 1, name: '举报渠道' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '举报渠道' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: '我的举报' })).not.toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveTitle(/举报渠道/);
  // Focus moves to the new page's content.
  await expect(page.locator('main')).toBeFocused();

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '我的举报' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: '举报渠道' })).toBeVisible();

  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test('Home, the form and the other pages are separate builds: their links load the page, back returns', async ({
  page,
  server,
}) => {
  await page.goto(server.url + '/');
  await expect(page.getByRole('heading', { level: 1, name: '随手举报，守护身边的环境' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link', { name: '首页' })).toHaveAttribute('aria-current', 'page');

  await nav.getByRole('link', { name: '我要举报' }).click();
  await expect(page).toHaveURL(server.url + '/report/new');
  await expect(page.getByRole('heading', { level: 1, name: '我要举报' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '我要举报' })).toHaveAttribute('aria-current', 'page');

  await nav.getByRole('link', { name: '举报渠道' }).click();
  await expect(page).toHaveURL(server.url + '/about');
  await expect(page.getByRole('heading', { level: 1, name: '举报渠道' })).toBeVisible();

  // Learn is its own build too.
  await nav.getByRole('link', { name: '环保知识' }).click();
  await expect(page).toHaveURL(server.url + '/learn/');
  await expect(page.getByRole('heading', { level: 1, name: '环保知识' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '环保知识' })).toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '举报渠道' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '我要举报' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '随手举报，守护身边的环境' })).toBeVisible();

  // The language chosen on one page holds on the next build's pages.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Report pollution, protect your surroundings' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My reports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
});

test('an unknown address shows the not-found page with a way home', async ({ page, server }) => {
  await page.goto(server.url + '/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: '页面不存在' })).toBeVisible();
  await page.getByRole('link', { name: '返回首页' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '随手举报，守护身边的环境' })).toBeVisible();
});
