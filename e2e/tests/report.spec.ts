// Filing a complete report with the network cut, and the outbox keeping it.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, expectControlledByServiceWorker, type GreenWatchServer } from '../fixtures/server';
import { storedReports } from '../fixtures/outbox';

const PHOTOS = join(__dirname, '..', 'fixtures', 'photos');
const photo = (name: string) => join(PHOTOS, name);

test.use({
  geolocation: { latitude: 30.1697, longitude: 121.2663, accuracy: 12 },
  permissions: ['geolocation', 'microphone'],
});

/** Loads the app once online, then cuts the network (browser and server). */
async function goOffline(page: Page, context: import('@playwright/test').BrowserContext, server: GreenWatchServer) {
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await server.stop();
  await context.setOffline(true);
}

async function openForm(page: Page) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我要举报' })).toBeVisible();
  await expect(page.getByRole('button', { name: '提交，联网后自动发送' })).toBeVisible();
}

test('a complete report is filed offline and survives a reload with all its media', async ({ page, context, server }) => {
  test.setTimeout(120_000);
  await goOffline(page, context, server);
  await openForm(page);

  await page.getByRole('radio', { name: '河道或小微水体' }).check();
  const description = '夜里十一点，桥下排污口向河里排放黑色污水，气味刺鼻。';
  await page.getByRole('textbox', { name: '现场描述' }).fill(description);
  await expect(page.getByText(`${[...description].length} / 4000`)).toBeVisible();

  await page.getByLabel('拍照或选择照片').setInputFiles([
    photo('HMD_Nokia_8.3_5G.jpg'),
    photo('iphone_hdr_YES.jpg'),
    photo('portrait_6.jpg'),
  ]);
  await expect(page.getByRole('img', { name: '照片 3' })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: '开始录音' }).click();
  await expect(page.getByRole('timer', { name: '正在录音' })).toBeVisible();
  await page.waitForTimeout(1_500);
  await page.getByRole('button', { name: '停止录音' }).click();
  await expect(page.getByRole('button', { name: '删除录音 1' })).toBeVisible();

  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(page.getByText('精度约 12 米')).toBeVisible();
  await page.getByRole('textbox', { name: '地址或地标' }).fill('古塘街道三北大街桥下排污口');

  const seenAt = page.getByLabel('发现时间');
  await expect(seenAt).not.toHaveValue('');
  await page.getByRole('textbox', { name: '姓名' }).fill('张三');
  await page.getByRole('textbox', { name: '电话' }).fill('138 0013 8000');

  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByText('待发送')).toBeVisible();

  // Reload with no network: the report and all its media are still there.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '河道或小微水体' })).toBeVisible();
  await expect(page.getByText(description)).toBeVisible();
  await expect(page.getByRole('img', { name: '照片 3' })).toBeVisible();

  const [report] = await storedReports(page);
  expect(report.state).toBe('queued');
  expect(report.draft.description).toBe(description);
  expect(report.draft.category).toBe('water_river');
  expect(report.draft.point.accuracy_m).toBe(12);
  expect(report.draft.phone).toBe('138 0013 8000');
  expect(report.photos).toHaveLength(3);
  for (const stored of report.photos) {
    expect(stored.startsAsJpeg).toBe(true);
    expect(stored.type).toBe('image/jpeg');
    expect(stored.hasApp1, 'no EXIF/XMP segment').toBe(false);
    expect(stored.hasExif, 'no EXIF (so no GPS)').toBe(false);
    expect(Math.max(stored.width, stored.height)).toBeLessThanOrEqual(1600);
    expect(stored.meta.width).toBe(stored.width);
    expect(stored.meta.height).toBe(stored.height);
    expect(stored.meta.bytes).toBe(stored.bytes);
    expect(stored.meta.sha256).toBe(stored.sha256);
  }
  // The two big phone photos were scaled down to a 1600 px long edge.
  expect(Math.max(report.photos[0].width, report.photos[0].height)).toBe(1600);
  expect(Math.max(report.photos[1].width, report.photos[1].height)).toBe(1600);
  // portrait_6.jpg is stored 600x450 with EXIF orientation 6: upright it is portrait.
  expect({ width: report.photos[2].width, height: report.photos[2].height }).toEqual({ width: 450, height: 600 });
  expect(report.clips).toHaveLength(1);
  expect(report.clips[0].bytes).toBeGreaterThan(0);
  expect(report.clips[0].type).toMatch(/^audio\//);

  // It is listed in My reports, queued, with its photos.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
  await expect(page.getByRole('link', { name: '河道或小微水体' })).toBeVisible();
  await expect(page.getByText('3 张照片')).toBeVisible();
  await expect(page.getByText(/本机存储：已用/)).toBeVisible();
});

test('photos the browser cannot read get a clear message and nothing typed is lost', async ({ page, context, server }) => {
  await goOffline(page, context, server);
  await openForm(page);
  await page.getByRole('textbox', { name: '现场描述' }).fill('工厂烟囱冒出大量黑烟。');
  await page.getByLabel('拍照或选择照片').setInputFiles([photo('iphone_13_pro_max.HEIC'), photo('corrupted.jpg')]);

  await expect(page.getByRole('alert').filter({ hasText: 'iphone_13_pro_max.HEIC' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('alert').filter({ hasText: 'corrupted.jpg' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('alert').filter({ hasText: 'HEIC' })).toContainText('HEIC');
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveValue('工厂烟囱冒出大量黑烟。');
  await expect(page.getByRole('img', { name: /照片/ })).toHaveCount(0);

  // A good photo after the bad ones still goes in.
  await page.getByLabel('拍照或选择照片').setInputFiles([photo('landscape_8.jpg')]);
  await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible({ timeout: 30_000 });
  const [draft] = await storedReports(page);
  // landscape_8.jpg is stored 450x600 with orientation 8: upright it is landscape.
  expect({ width: draft.photos[0].width, height: draft.photos[0].height }).toEqual({ width: 600, height: 450 });
});

test('the draft is saved as the person types and survives a reload', async ({ page, context, server }) => {
  await goOffline(page, context, server);
  await openForm(page);
  await page.getByRole('radio', { name: '噪声' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('凌晨两点工地还在打桩。');
  await page.getByLabel('拍照或选择照片').setInputFiles([photo('DSCN0010.jpg')]);
  await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: '草稿已保存在本机' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveValue('凌晨两点工地还在打桩。');
  await expect(page.getByRole('radio', { name: '噪声' })).toBeChecked();
  await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible();

  // Removing the photo is saved too.
  await page.getByRole('button', { name: '删除照片 1' }).click();
  await expect(page.getByRole('img', { name: '照片 1' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveValue('凌晨两点工地还在打桩。');
  await expect(page.getByRole('img', { name: '照片 1' })).toHaveCount(0);
  const [draft] = await storedReports(page);
  expect(draft.state).toBe('draft');
  expect(draft.photos).toHaveLength(0);
});

test('errors show next to their fields, in both languages', async ({ page, context, server }) => {
  await goOffline(page, context, server);
  await openForm(page);
  await page.getByRole('textbox', { name: '现场描述' }).fill('黑烟');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();

  await expect(page.getByRole('alert').filter({ hasText: '请先修正标出的问题。' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#description-error')).toContainText('5');
  await expect(page.locator('#category-error')).not.toBeEmpty();
  await expect(page.locator('#location-error')).not.toBeEmpty();

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('#location-error')).toContainText(/address|landmark|position/i);
  await expect(page.locator('#description-error')).toContainText(/at least 5/i);

  // Fixing a field clears its error at once.
  await page.getByRole('textbox', { name: 'What you saw' }).fill('Black smoke from the chimney');
  await expect(page.locator('#description-error')).toBeEmpty();
  // Nothing was queued.
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved on this device.' })).toBeVisible();
  const [draft] = await storedReports(page);
  expect(draft.state).toBe('draft');
});

test('a report is deleted after confirmation, and only that one', async ({ page, context, server }) => {
  await goOffline(page, context, server);
  for (const text of ['第一条：河面漂着大片油污。', '第二条：垃圾堆在河岸边焚烧。']) {
    await openForm(page);
    await page.getByRole('radio', { name: '其他' }).check();
    await page.getByRole('textbox', { name: '现场描述' }).fill(text);
    await page.getByRole('textbox', { name: '地址或地标' }).fill('新城大道北路');
    await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
    await expect(page.getByText('待发送')).toBeVisible();
  }
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '待发送' })).toHaveCount(2);

  await page.getByRole('link', { name: '其他' }).first().click();
  const shown = (await page.locator('.description').textContent()) ?? '';
  await page.getByRole('button', { name: '删除这条举报' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('无法恢复');
  // Offline, the sync engine retries every few seconds: that must not close
  // the dialog under the person's finger.
  await page.waitForTimeout(4_000);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await page.getByRole('button', { name: '删除这条举报' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: '确定删除' }).click();

  await expect(page.getByRole('heading', { level: 1, name: '我的举报' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: '待发送' })).toHaveCount(1);
  const left = await storedReports(page);
  expect(left).toHaveLength(1);
  expect(left[0].draft.description).not.toBe(shown);
});

test('a full disk gives a clear message and keeps everything stored before', async ({ page, context, server }) => {
  await goOffline(page, context, server);
  await openForm(page);
  await page.getByRole('radio', { name: '固体废物' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('河岸边堆满建筑垃圾。');
  await page.getByLabel('拍照或选择照片').setInputFiles([photo('DSCN0010.jpg')]);
  await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible({ timeout: 30_000 });

  // The disk fills up: IndexedDB refuses new media with the browser's
  // QuotaExceededError. (Chromium's CDP quota override does not reach
  // IndexedDB writes here, so the refusal is injected at the same API.)
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value: any, key?: IDBValidKey) {
      // A medium: `{type, bytes}` since the outbox's schema v4.
      if (value?.bytes instanceof ArrayBuffer) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });

  await page.getByLabel('拍照或选择照片').setInputFiles([photo('HMD_Nokia_8.3_5G.jpg')]);
  await expect(page.getByRole('alert').filter({ hasText: '存储空间不足' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('img', { name: '照片 2' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveValue('河岸边堆满建筑垃圾。');

  // Room again (a reload drops the injected refusal): nothing stored before was lost.
  await page.reload();
  await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveValue('河岸边堆满建筑垃圾。');
  const [draft] = await storedReports(page);
  expect(draft.photos).toHaveLength(1);
});

test('a write the browser refuses gives a sentence to act on, never its own words', async ({ page, context, server }) => {
  await goOffline(page, context, server);
  await openForm(page);
  await page.getByRole('textbox', { name: '现场描述' }).fill('河岸边堆满建筑垃圾。');
  // WebKit's private sessions refused every Blob this way before media
  // were stored as bytes; a failing disk does it too.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value: any, key?: IDBValidKey) {
      if (value?.bytes instanceof ArrayBuffer) {
        throw new DOMException('Error preparing Blob/File data to be stored in object store', 'UnknownError');
      }
      return put.call(this, value, key);
    };
  });
  await page.getByLabel('拍照或选择照片').setInputFiles([photo('DSCN0010.jpg')]);
  const alert = page.getByRole('alert').filter({ hasText: '浏览器拒绝在本机保存这项内容' });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText('页面上填写的内容也还在');
  await expect(page.getByText(/UnknownError|Blob\/File/)).toHaveCount(0);
  await expect(page.getByRole('img', { name: '照片 1' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveValue('河岸边堆满建筑垃圾。');
});

test.describe('with the microphone refused', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
  });

  test('recording says why it cannot, and the report still goes in', async ({ page, context, server }) => {
    await goOffline(page, context, server);
    await openForm(page);
    await page.getByRole('button', { name: '开始录音' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '麦克风权限' })).toBeVisible();
    await page.getByRole('radio', { name: '大气污染' }).check();
    await page.getByRole('textbox', { name: '现场描述' }).fill('露天焚烧轮胎，黑烟很大。');
    await page.getByRole('textbox', { name: '地址或地标' }).fill('周巷镇工业区');
    await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
    await expect(page.getByText('待发送')).toBeVisible();
  });
});

test('a draft is reopened from My reports, finished and queued', async ({ page, context, server }) => {
  await goOffline(page, context, server);
  await openForm(page);
  await page.getByRole('radio', { name: '饮用水源' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('水库边有人洗车。');
  await expect(page.getByRole('status').filter({ hasText: '草稿已保存在本机' })).toBeVisible();

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '草稿' })).toHaveCount(1);
  await page.getByRole('link', { name: '饮用水源' }).click();
  await page.getByRole('link', { name: '继续编辑' }).click();
  await expect(page.getByRole('textbox', { name: '现场描述' })).toHaveValue('水库边有人洗车。');
  await page.getByRole('textbox', { name: '地址或地标' }).fill('上林湖水库南岸');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByText('待发送')).toBeVisible();
  const reports = await storedReports(page);
  expect(reports).toHaveLength(1);
  expect(reports[0].state).toBe('queued');
  expect(reports[0].draft.address).toBe('上林湖水库南岸');
});
