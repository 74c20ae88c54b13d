// Every feature degrades clearly where an engine lacks it: the same journey
// (a report with a photo queued offline, then sent when the network
// returns, its photo byte-identical on the server) with one browser API
// removed before the app starts, as WebKit, Firefox and in-app browsers
// lack them:
// - no navigator.storage (WebKit's ephemeral sessions): no storage figure,
//   no persist request, My reports says unsent reports may be lost;
// - no Background Sync (WebKit, Firefox): sending on `online` as always;
// - no Web Locks (older WebKit): one run at a time in the tab still;
// - no OffscreenCanvas (Safari before 16.4): photos through a <canvas>;
// - a recorder that only makes audio/mp4 (WebKit): the clip goes to the
//   server, which keeps it as audio/mp4, and the staff console plays it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, expectControlledByServiceWorker, type GreenWatchServer } from '../fixtures/server';
import { storedReports } from '../fixtures/outbox';

const PHOTOS = join(__dirname, '..', 'fixtures', 'photos');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test.use({ permissions: ['microphone'] });

interface Journey {
  photo?: boolean;
  voice?: boolean;
}

/** Files a report offline, checks what is stored, sends it, checks the server. */
async function fileAndSend(page: Page, context: BrowserContext, server: GreenWatchServer, journey: Journey) {
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await context.setOffline(true);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
  await page.getByRole('radio', { name: '固体废物' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('河岸边堆满建筑垃圾，还有油桶。');
  if (journey.photo) {
    await page.getByLabel('拍照或选择照片').setInputFiles([join(PHOTOS, 'HMD_Nokia_8.3_5G.jpg')]);
    await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible({ timeout: 30_000 });
  }
  if (journey.voice) {
    await page.getByRole('button', { name: '开始录音' }).click();
    await page.waitForTimeout(1_200);
    await page.getByRole('button', { name: '停止录音' }).click();
    await expect(page.getByRole('button', { name: '删除录音 1' })).toBeVisible();
  }
  await page.getByRole('textbox', { name: '地址或地标' }).fill('三北大街桥下');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '固体废物' })).toBeVisible();
  await expect(page.getByText('待发送', { exact: true })).toBeVisible();

  const [report] = await storedReports(page);
  expect(report.state).toBe('queued');
  if (journey.photo) {
    expect(report.photos).toHaveLength(1);
    expect(report.photos[0].startsAsJpeg).toBe(true);
    expect(report.photos[0].hasApp1, 'no EXIF').toBe(false);
    expect(Math.max(report.photos[0].width, report.photos[0].height)).toBeLessThanOrEqual(1600);
    expect(report.photos[0].sha256).toBe(report.photos[0].meta.sha256);
  }

  await context.setOffline(false);
  await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 60_000 });
  const root = join(server.dataDir, 'media', 'reports', report.id);
  const media = [...report.photos.map((p) => p.sha256), ...report.clips.map((c) => c.sha256)];
  media.forEach((hash, index) => expect(sha256(readFileSync(join(root, String(index)))), `medium ${index}`).toBe(hash));
  return report;
}

test('without navigator.storage: no storage figure, no crash, and a plain warning', async ({ page, context, server }) => {
  await page.addInitScript(() => {
    delete (Navigator.prototype as any).storage;
  });
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  expect(await page.evaluate(() => 'storage' in navigator)).toBe(false);
  await context.setOffline(true);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
  await page.getByRole('radio', { name: '噪声' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('工地夜间施工，电锯声一直到凌晨。');
  await page.getByLabel('拍照或选择照片').setInputFiles([join(PHOTOS, 'portrait_6.jpg')]);
  await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('textbox', { name: '地址或地标' }).fill('幸福小区5幢');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByText('待发送', { exact: true })).toBeVisible();

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '待发送' })).toHaveCount(1);
  await expect(page.getByText('本机存储：已用')).toHaveCount(0);
  await expect(page.getByRole('note').filter({ hasText: '未发送的举报可能会丢失' })).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByRole('listitem').filter({ hasText: '已发送' })).toHaveCount(1, { timeout: 60_000 });
});

test('without Background Sync, a queued report goes when the network returns', async ({ page, context, server }) => {
  await page.addInitScript(() => {
    delete (ServiceWorkerRegistration.prototype as any).sync;
    delete (window as any).SyncManager;
  });
  await fileAndSend(page, context, server, { photo: true });
});

test('without Web Locks, a queued report goes once', async ({ page, context, server }) => {
  await page.addInitScript(() => {
    delete (Navigator.prototype as any).locks;
  });
  const report = await fileAndSend(page, context, server, { photo: true });
  // Once: the server numbered one case.
  await expect(page.locator('.case-number strong')).toHaveText(/-000001$/);
  expect(report.photos).toHaveLength(1);
});

test('without OffscreenCanvas, photos are prepared on a <canvas> element', async ({ page, context, server }) => {
  await page.addInitScript(() => {
    delete (window as any).OffscreenCanvas;
  });
  const report = await fileAndSend(page, context, server, { photo: true });
  expect(report.hasThumbnail).toBe(true);
});

test('a recorder that only makes audio/mp4: the clip is sent and the staff console plays it', async ({
  page,
  browser,
  context,
  server,
}) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    const supported = MediaRecorder.isTypeSupported.bind(MediaRecorder);
    MediaRecorder.isTypeSupported = (type: string) => type.startsWith('audio/mp4') && supported(type);
  });
  // Debian's Chromium records audio/mp4 (AAC) as well as WebM.
  expect(await page.evaluate(() => MediaRecorder.isTypeSupported('audio/mp4'))).toBe(true);

  const report = await fileAndSend(page, context, server, { voice: true });
  expect(report.clips).toHaveLength(1);
  expect(report.clips[0].type).toMatch(/^audio\/mp4/);
  expect(report.draft.voice_clips[0].mime).toMatch(/mp4/);
  const caseNumber = (await page.locator('.case-number strong').textContent())!.trim();

  server.addStaff('li.na', 'a long enough password', 'operator');
  const staffContext = await browser.newContext({ locale: 'zh-CN' });
  const staff = await staffContext.newPage();
  await staff.goto(server.url + '/staff/');
  await staff.getByRole('textbox', { name: '用户名' }).fill('li.na');
  await staff.getByLabel('密码').fill('a long enough password');
  await staff.getByRole('button', { name: '登录' }).click();
  await staff.getByRole('button', { name: caseNumber }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toContainText(caseNumber);
  const played = await staff.evaluate(async () => {
    const audio = document.querySelector('audio') as HTMLAudioElement | null;
    if (!audio) return 'no <audio>';
    audio.muted = true;
    await audio.play();
    await new Promise((resolve) => setTimeout(resolve, 600));
    return audio.currentTime > 0 ? 'played' : `stuck at ${audio.currentTime}`;
  });
  expect(played).toBe('played');
  await staffContext.close();
});
