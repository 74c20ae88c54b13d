// The reporting channels as data: Home's urgent line and the channels page
// come from the served channel file; a bureau's own file, served with
// --channels-file, replaces the built-in list once the app is online, and
// stays after a reload with the network cut.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, expectControlledByServiceWorker } from '../fixtures/server';

const BUILT_IN = JSON.parse(
  readFileSync(join(__dirname, '../../content/channels/channels.json'), 'utf8'),
);

test('Home offers the 12345 line of the served channel file, the channels page lists every channel', async ({
  page,
  server,
}) => {
  // What the server serves by default is the built-in file.
  const served = await (await page.request.get(server.url + '/api/v1/channels')).json();
  const urgent = served.channels.find((c: { urgent?: boolean }) => c.urgent);
  expect(urgent.contact['zh-CN']).toBe('12345');

  await page.goto(server.url + '/');
  const line = page.locator('.urgent-line');
  await expect(line).toContainText(`情况紧急时，请直接拨打${urgent.name['zh-CN']}：12345`);
  await expect(line.getByRole('link', { name: '12345', exact: true })).toHaveAttribute('href', 'tel:12345');

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '举报渠道' }).click();
  for (const channel of served.channels) {
    const item = page.locator('li.channel', {
      has: page.getByRole('heading', { level: 2, name: channel.name['zh-CN'], exact: true }),
    });
    await expect(item).toContainText(channel.contact['zh-CN']);
    await expect(item).toContainText(channel.hours['zh-CN']);
    await expect(item).toContainText(channel.for['zh-CN']);
    await expect(item).toContainText(`核实于 ${channel.checked}`);
  }
  await expect(page.getByRole('link', { name: '拨打 12345' })).toHaveAttribute('href', 'tel:12345');
  // 12369 is never offered as a number to call, on either page.
  await expect(page.locator('a[href*="12369"]')).toHaveCount(0);
  await page.goto(server.url + '/');
  await expect(page.locator('a[href*="12369"]')).toHaveCount(0);
});

test("a bureau's own channel file replaces the built-in one online and stays offline", async ({
  page,
  server,
}) => {
  await page.goto(server.url + '/');
  await expect(page.locator('.urgent-line').getByRole('link')).toHaveAttribute('href', 'tel:12345');
  await expectControlledByServiceWorker(page);

  // The bureau's file: a higher version, its own urgent line first, and a
  // channel whose last day has passed.
  const bureau = structuredClone(BUILT_IN);
  bureau.version = BUILT_IN.version + 1;
  const own = structuredClone(BUILT_IN.channels[0]);
  own.id = 'bureau-duty';
  own.name = { 'zh-CN': '测试局值班电话', en: 'Test bureau duty line' };
  own.contact = { 'zh-CN': '0574-00000000', en: '0574-00000000' };
  const expired = structuredClone(BUILT_IN.channels[1]);
  expired.id = 'old-web';
  expired.name = { 'zh-CN': '已停用的网上渠道', en: 'A retired website' };
  expired.checked = '2019-12-01';
  expired.valid_until = '2020-01-01';
  bureau.channels = [own, expired, ...BUILT_IN.channels.map((c: object) => ({ ...c, urgent: false }))];
  const dir = mkdtempSync(join(tmpdir(), 'greenwatch-channels-'));
  const file = join(dir, 'channels.json');
  writeFileSync(file, JSON.stringify(bureau));
  await server.stop();
  await server.restart(['--channels-file', file]);

  await page.reload();
  const line = page.locator('.urgent-line');
  await expect(line).toContainText('测试局值班电话');
  await expect(line.getByRole('link')).toHaveAttribute('href', 'tel:0574-00000000');

  await page.goto(server.url + '/about');
  await expect(page.getByRole('heading', { level: 2, name: '测试局值班电话' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '已停用的网上渠道' })).toHaveCount(0);

  // Kept on the device: the same with the server gone and the network cut.
  await server.stop();
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: '测试局值班电话' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '已停用的网上渠道' })).toHaveCount(0);
  await page.goto(server.url + '/');
  await expect(page.locator('.urgent-line').getByRole('link')).toHaveAttribute('href', 'tel:0574-00000000');
});
