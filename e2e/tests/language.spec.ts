// Chinese first, English second: picked from the browser, switchable, remembered.
import { test, expect } from '../fixtures/server';

test.describe('an English browser', () => {
  test.use({ locale: 'en-US' });
  test('gets the English interface', async ({ page, server }) => {
    await page.goto(server.url + '/about');
    await expect(page.getByRole('heading', { level: 1, name: 'Reporting channels' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('link', { name: /Call 12345/ })).toHaveAttribute('href', 'tel:12345');
  });
});

test.describe('a French browser', () => {
  test.use({ locale: 'fr-FR' });
  test('gets the default, Chinese', async ({ page, server }) => {
    await page.goto(server.url + '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('link', { name: '我要举报' }).first()).toBeVisible();
  });
});

test('the switch changes every string and is remembered', async ({ page, server }) => {
  await page.goto(server.url + '/learn');
  await expect(page.getByRole('heading', { level: 1, name: '环保知识' })).toBeVisible();

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Learn' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Home', 'New report', 'My reports', 'Learn', 'Channels']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  await expect(page).toHaveTitle(/Learn/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Learn' })).toBeVisible();

  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '环保知识' })).toBeVisible();
});
