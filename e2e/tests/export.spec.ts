// The last resort: a report with a photo, queued on a phone that cannot
// reach the server, is saved to a file; a staff member imports the file in
// the console; when the phone is online again its own sync finds the case
// already there: the same case number, one case, the photo byte-identical.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, expectControlledByServiceWorker } from '../fixtures/server';
import { storedReports, storedSyncMachine } from '../fixtures/outbox';

const PHOTO = join(__dirname, '..', 'fixtures', 'photos', 'portrait_6.jpg');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('unsent reports saved to a file, imported by staff, then the phone’s sync finds the same case', async ({
  page,
  context,
  browser,
  server,
}) => {
  test.setTimeout(150_000);
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await context.setOffline(true);

  // A report with a photo, queued with no network.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要举报' }).click();
  await page.getByRole('radio', { name: '固体废物' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('山坳里有人倾倒了几十桶不明废液。');
  await page.getByLabel('拍照或选择照片').setInputFiles([PHOTO]);
  await expect(page.getByRole('img', { name: '照片 1' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('textbox', { name: '地址或地标' }).fill('青山村后山山坳');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '固体废物' })).toBeVisible();

  // My reports offers the file while a report waits.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的举报' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的举报' })).toBeVisible();
  const [queued] = await storedReports(page);
  expect(queued.state).toBe('queued');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '保存未发送的报告到文件' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('greenwatch-unsent-reports.zip');
  const path = await file.path();
  await expect(page.getByRole('status').filter({ hasText: '已保存到文件的报告数： 1' })).toBeVisible();
  // The report is still queued on the phone: the file is a copy.
  expect((await storedReports(page))[0].state).toBe('queued');

  // Outreach staff import the file in the console.
  server.addStaff('li.na', 'a long enough password', 'operator');
  const staffContext = await browser.newContext({ locale: 'zh-CN' });
  const staff = await staffContext.newPage();
  await staff.goto(server.url + '/staff/');
  await staff.getByRole('textbox', { name: '用户名' }).fill('li.na');
  await staff.getByLabel('密码').fill('a long enough password');
  await staff.getByRole('button', { name: '登录' }).click();
  await staff.getByRole('navigation', { name: '导航' }).getByRole('button', { name: '导入报告文件' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: '导入报告文件' })).toBeVisible();

  // A file that is not one is refused and changes nothing.
  await staff.getByLabel('报告文件（.zip）').setInputFiles({
    name: 'notes.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('not a zip at all'),
  });
  await staff.getByRole('button', { name: '导入', exact: true }).click();
  await expect(staff.getByRole('alert')).toContainText('文件未导入');
  await expect(staff.getByRole('alert')).toContainText('不是 ZIP 文件');

  await staff.getByLabel('报告文件（.zip）').setInputFiles(path);
  await staff.getByRole('button', { name: '导入', exact: true }).click();
  const result = staff.getByRole('table', { name: '导入完成' });
  await expect(result.getByRole('row').filter({ hasText: '新立案' })).toHaveCount(1);
  await expect(result).toContainText(queued.id);
  const caseNumber = (await result.getByRole('button').textContent())!.trim();
  expect(caseNumber).toMatch(/^GW-\d{4}-000001$/);

  // The server holds the phone's photo, byte for byte.
  const stored = readFileSync(join(server.dataDir, 'media', 'reports', queued.id, '0'));
  expect(sha256(stored)).toBe(queued.photos[0].sha256);

  // The phone comes back online and sends by itself: its create finds the
  // report there and gets the same case.
  await context.setOffline(false);
  await expect(page.getByRole('listitem').filter({ hasText: '已发送' })).toHaveCount(1, { timeout: 60_000 });
  const machine = await storedSyncMachine(page);
  expect(machine.reports).toHaveLength(1);
  expect(machine.reports[0].phase.state).toBe('sent');
  expect(machine.reports[0].phase.case_number).toBe(caseNumber);
  await expect(page.getByText(caseNumber)).toBeVisible();

  // One case on the server, one report folder.
  expect(readdirSync(join(server.dataDir, 'media', 'reports'))).toEqual([queued.id]);
  const cases = await staff.request.get(server.url + '/api/v1/staff/cases');
  expect(cases.status()).toBe(200);
  const list = await cases.json();
  expect(list.map((c: { case_number: string }) => c.case_number)).toEqual([caseNumber]);

  // Importing the same file again changes nothing.
  await staff.getByLabel('报告文件（.zip）').setInputFiles(path);
  await staff.getByRole('button', { name: '导入', exact: true }).click();
  await expect(result.getByRole('row').filter({ hasText: '已存在，未改动' })).toHaveCount(1);
  await staffContext.close();
});
