// axe-core on every route, in both languages: no serious or critical violation.
import { expectAccessible } from '../fixtures/axe';
import { test, expect } from '../fixtures/server';
import { ROUTES } from '../fixtures/routes';

const LANGUAGES = [
  { key: 'zh', locale: 'zh-CN' },
  { key: 'en', locale: 'en-US' },
] as const;
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

for (const language of LANGUAGES) {
  for (const viewport of VIEWPORTS) {
    test.describe(`${language.locale} on a ${viewport.name}`, () => {
      test.use({ locale: language.locale, viewport });

      test('no serious or critical accessibility violation on any route', async ({ page, server }) => {
        for (const route of ROUTES) {
          await page.goto(server.url + route.path);
          await expect(
            page.getByRole('heading', { level: 1, name: route.heading[language.key] }),
          ).toBeVisible();
          await expectAccessible(page, route.path);
        }
      });
    });
  }
}

test('the report form with its errors, the list and a report page have no serious violation', async ({ page, server }) => {
  const check = (where: string) => expectAccessible(page, where);
  await page.goto(server.url + '/report/new');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '请先修正标出的问题。' })).toBeVisible();
  await check('form with errors');

  await page.getByRole('radio', { name: '噪声' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('广场舞音响声音太大。');
  await page.getByRole('textbox', { name: '地址或地标' }).fill('北门广场');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  // Online: the report is sent at once, so the page shows its case too.
  await expect(page.getByText('已发送', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: '办理进度' })).toBeVisible();
  await check('report page');
  await page.getByRole('button', { name: '删除这条举报' }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await check('delete confirmation');

  await page.goto(server.url + '/reports');
  await expect(page.getByRole('link', { name: '噪声' })).toBeVisible();
  await check('list');

  await page.goto(server.url + '/cases');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText('案件编号的格式应为 GW-2026-000123。')).toBeVisible();
  await check('check a case, with errors');
});
