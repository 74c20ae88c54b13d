// What the phone keeps, and what the app says when it may not keep it: a
// report still unsent 24 hours after it was queued is flagged on Home and in
// My reports (the page's clock is moved, nothing waits), and where the
// browser has not promised to keep the site's data, My reports says unsent
// reports may be lost (on iPhone, with Add to Home Screen in two steps).
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, expectControlledByServiceWorker, type GreenWatchServer } from '../fixtures/server';

const DAY_MS = 24 * 60 * 60 * 1000;

const MAY_BE_LOST = '此浏览器没有承诺长期保存本应用的数据';
const HOME_FLAG = '有举报已超过 24 小时仍未发送';
const ROW_FLAG = '已超过 24 小时未发送';

async function openOffline(page: Page, context: BrowserContext, server: GreenWatchServer) {
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await context.setOffline(true);
}

/** Queues a text-only report (nothing to send while offline). */
async function queueReport(page: Page) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
  await expect(page.getByRole('button', { name: '提交，联网后自动发送' })).toBeVisible();
  await page.getByRole('radio', { name: '噪声' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('工地夜间施工，电锯声一直到凌晨。');
  await page.getByRole('textbox', { name: '地址或地标' }).fill('幸福小区5幢');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '噪声' })).toBeVisible();
}

async function openNav(page: Page, name: string) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name }).click();
}

test('a report still unsent 24 hours after it was queued is flagged on Home and in My reports', async ({
  page,
  context,
  server,
}) => {
  await openOffline(page, context, server);
  await queueReport(page);

  // An hour later: nothing flagged yet.
  const queuedAt = await page.evaluate(() => Date.now());
  await page.clock.setFixedTime(queuedAt + 60 * 60 * 1000);
  await openNav(page, '首页');
  await expect(page.getByRole('heading', { level: 1, name: '随手举报，守护身边的环境' })).toBeVisible();
  await openNav(page, '我的举报');
  const row = page.getByRole('listitem').filter({ hasText: '待发送' });
  await expect(row).toHaveCount(1);
  await expect(row.getByText(ROW_FLAG)).toHaveCount(0);
  await openNav(page, '首页');
  await expect(page.getByRole('note').filter({ hasText: HOME_FLAG })).toHaveCount(0);

  // A day and a minute later, still offline: both pages say so.
  await page.clock.setFixedTime(queuedAt + DAY_MS + 60 * 1000);
  await page.reload();
  const flag = page.getByRole('note').filter({ hasText: HOME_FLAG });
  await expect(flag).toBeVisible();
  await flag.getByRole('link', { name: '查看未发送的举报' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的举报' })).toBeVisible();
  await expect(row.getByText(ROW_FLAG)).toBeVisible();
});

test('where the browser promises nothing, My reports says unsent reports may be lost', async ({
  page,
  context,
  server,
}) => {
  // Headless Chromium grants no persistent storage: persisted() is false.
  await openOffline(page, context, server);
  await openNav(page, '我的举报');
  await expect(page.getByText('这台设备上还没有举报记录。')).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: MAY_BE_LOST }), 'nothing unsent, nothing to lose').toHaveCount(0);

  await queueReport(page);
  await openNav(page, '我的举报');
  const note = page.getByRole('note').filter({ hasText: MAY_BE_LOST });
  await expect(note).toBeVisible();
  await expect(note).toContainText('请尽快发送，或把本应用添加到主屏幕');
  // Not an iPhone: no Add to Home Screen steps.
  await expect(note.getByRole('listitem')).toHaveCount(0);
});

test('with persistent storage granted, there is no such warning', async ({ page, context, server }) => {
  await page.addInitScript(() => {
    StorageManager.prototype.persisted = () => Promise.resolve(true);
  });
  await openOffline(page, context, server);
  await queueReport(page);
  await openNav(page, '我的举报');
  await expect(page.getByRole('listitem').filter({ hasText: '待发送' })).toHaveCount(1);
  await expect(page.getByRole('note').filter({ hasText: MAY_BE_LOST })).toHaveCount(0);
});

test.describe('on an iPhone', () => {
  test.use({
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  });

  test('the warning explains Add to Home Screen in two steps', async ({ page, context, server }) => {
    await openOffline(page, context, server);
    await queueReport(page);
    await openNav(page, '我的举报');
    const note = page.getByRole('note').filter({ hasText: MAY_BE_LOST });
    await expect(note).toBeVisible();
    await expect(note.getByRole('listitem')).toHaveText([
      '在 Safari 中打开本页，点按“分享”按钮。',
      '选择“添加到主屏幕”，以后从主屏幕上的图标打开本应用。',
    ]);
  });
});
