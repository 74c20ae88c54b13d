// "I see this too" (#14): a citizen reporting near an open case sees it in
// its public form (never its reporter's words), adds their support with a
// photo while offline, and the support arrives exactly once when the
// network returns; the nearby list is never asked for offline. Staff then
// merge a duplicate into that case: the supporters move to the original,
// and the duplicate's reporter follows the original on their phone.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, expectControlledByServiceWorker } from '../fixtures/server';

const PHOTO = join(__dirname, '..', 'fixtures', 'photos', 'portrait_6.jpg');
const RIVER = '河道或小微水体';
/** The first reporter's words: private, never shown to another citizen. */
const SECRET = '夜里三点化工厂暗管偷排';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const caseYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const caseNo = (n: number) => `GW-${caseYear()}-${String(n).padStart(6, '0')}`;

async function phone(browser: any, latitude: number, longitude: number): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'zh-CN',
    geolocation: { latitude, longitude, accuracy: 10 },
    permissions: ['geolocation'],
  });
}

/** Files a river report at the phone's position and waits until it is sent. */
async function fileSentReport(page: Page, description: string): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
  await page.getByRole('radio', { name: RIVER }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill(description);
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(page.getByRole('status').filter({ hasText: '当前位置' })).toBeVisible();
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 30_000 });
}

test('a supporter near an open case supports it offline, once; a merged duplicate moves its supporters', async ({
  browser,
  server,
}) => {
  test.setTimeout(180_000);
  // Citizen A reports a discharge at the river bend.
  const a = await (await phone(browser, 30.16971, 121.26632)).newPage();
  await a.goto(server.url + '/');
  await expectControlledByServiceWorker(a);
  await fileSentReport(a, SECRET);

  // Citizen B stands about 300 m north-east of it and starts a report.
  const bContext = await phone(browser, 30.1716, 121.2685);
  const b = await bContext.newPage();
  // Every request of B's phone, its service worker's included: a request
  // tried offline is seen here too (then it fails).
  const nearbyAsked: string[] = [];
  bContext.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/nearby') nearbyAsked.push(request.url());
  });
  await b.goto(server.url + '/report/new');
  await expectControlledByServiceWorker(b);
  await expect(b.getByText('精确位置、照片、录音和联系方式只交给生态环境部门')).toBeVisible();
  await b.getByRole('radio', { name: RIVER }).check();
  await b.getByRole('button', { name: '使用我的位置' }).click();

  const nearby = b.getByRole('region', { name: '附近正在办理的案件' });
  const item = nearby.getByRole('listitem').filter({ hasText: caseNo(1) });
  await expect(item).toBeVisible({ timeout: 20_000 });
  await expect(item).toContainText(/西南方向约 \d00 米/);
  await expect(item).toContainText('举报人数：1');
  await expect(b.getByText(SECRET)).toHaveCount(0);
  // The position asked about is the grid cell, never the phone's fix.
  expect(nearbyAsked.length).toBeGreaterThan(0);
  for (const url of nearbyAsked) {
    const query = new URL(url).searchParams;
    expect(query.get('lat')).toMatch(/^\d+\.\d{1,3}$/);
    expect(query.get('long')).toMatch(/^\d+\.\d{1,3}$/);
  }

  // No signal: the support is kept on the phone with its photo.
  await bContext.setOffline(true);
  await item.getByRole('button', { name: `我也看到了 ${caseNo(1)}` }).click();
  await nearby.getByLabel('拍照或选择照片').setInputFiles(PHOTO);
  await expect(nearby.getByRole('img', { name: '照片 1' })).toBeVisible({ timeout: 30_000 });
  await nearby.getByRole('button', { name: '提交支持' }).click();
  await expect(nearby.getByRole('status').filter({ hasText: '您的支持已保存在本机' })).toBeVisible();

  // Offline, a new category and position ask nothing: the form goes on.
  const askedOnline = nearbyAsked.length;
  await b.getByRole('radio', { name: '大气污染' }).check();
  await b.getByRole('radio', { name: RIVER }).check();
  await b.getByRole('textbox', { name: '现场描述' }).fill('我也看到河水发黑。');
  await b.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
  await expect(b.getByRole('status').filter({ hasText: '现在连不上服务器' })).toBeVisible({ timeout: 30_000 });
  const support = b.getByRole('listitem').filter({ hasText: `支持案件 ${caseNo(1)}` });
  await expect(support).toContainText('待发送');
  expect(nearbyAsked.length).toBe(askedOnline);

  // The network returns: the support arrives, once, photo byte-identical.
  await bContext.setOffline(false);
  await expect(support).toContainText('已发送', { timeout: 60_000 });
  await expect(support).toContainText('查询凭证');
  await expect(support.getByRole('listitem').filter({ hasText: '已收到' })).toBeVisible();
  const supportsRoot = join(server.dataDir, 'media', 'supports');
  expect(existsSync(supportsRoot)).toBe(true);
  const ids = readdirSync(supportsRoot);
  expect(ids).toHaveLength(1);
  expect(readdirSync(join(supportsRoot, ids[0]))).toEqual(['0']);
  const stored = await b.evaluate(async (id) => {
    const db: IDBDatabase = await new Promise((ok, fail) => {
      const open = indexedDB.open('greenwatch');
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const record: any = await new Promise((ok) => {
      const get = db.transaction('supports').objectStore('supports').get(id);
      get.onsuccess = () => ok(get.result);
    });
    db.close();
    return record;
  }, ids[0]);
  expect(stored.state).toBe('sent');
  expect(sha256(readFileSync(join(supportsRoot, ids[0], '0')))).toBe(stored.support.photos[0].sha256);
  // The public count: one supporter, not two (sent exactly once).
  const publicAnswer = await b.request.get(nearbyAsked[0]);
  expect(publicAnswer.status()).toBe(200);
  const cases = (await publicAnswer.json()).cases;
  expect(cases.map((c: any) => [c.case_number, c.supporters])).toEqual([[caseNo(1), 1]]);

  // Citizen A reports the same discharge again: a duplicate.
  await fileSentReport(a, '同一个排污口今天又在排。');
  server.addStaff('li.ming', 'a long enough password', 'operator');
  const staff = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await staff.goto(server.url + '/staff/');
  await staff.getByRole('textbox', { name: '用户名' }).fill('li.ming');
  await staff.getByLabel('密码').fill('a long enough password');
  await staff.getByRole('button', { name: '登录' }).click();
  await staff.getByRole('button', { name: caseNo(2) }).click();
  await staff.getByRole('textbox', { name: '重复于案件编号' }).fill(caseNo(1));
  await staff.getByRole('textbox', { name: '原因' }).fill('与已受理案件为同一排污口。');
  await staff.getByRole('button', { name: '标为重复举报' }).click();
  await expect(staff.getByRole('listitem').filter({ hasText: '重复举报' }).first()).toBeVisible();

  // The original now has both supporters: B's support with its photo, and
  // A's merged report; sorted by supporters it comes first.
  await staff.getByRole('button', { name: '返回案件列表' }).click();
  await staff.getByRole('combobox', { name: '排序' }).selectOption({ label: '支持人数最多在前' });
  await staff.getByRole('button', { name: '筛选' }).click();
  const firstRow = staff.getByRole('row').nth(1);
  await expect(firstRow).toContainText(caseNo(1));
  await expect(firstRow.getByRole('cell').last()).toHaveText('2');
  await firstRow.getByRole('button', { name: caseNo(1) }).click();
  await expect(staff.getByRole('heading', { name: '支持者及其证据 (2)' })).toBeVisible();
  await expect(staff.getByText(`合并自重复案件 ${caseNo(2)}`)).toBeVisible();
  await expect(staff.getByRole('img', { name: '支持者及其证据 1 1' })).toBeVisible();

  // A's phone follows the original once it reads its cases again.
  await a.reload();
  await a.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
  await a.getByRole('listitem').filter({ hasText: caseNo(2) }).getByRole('link').click();
  await expect(a.getByRole('heading', { name: `该案件已被标为重复，您现在跟进案件 ${caseNo(1)}` })).toBeVisible({
    timeout: 30_000,
  });
});
