// axe-core on every route, in both languages: no serious or critical violation.
import AxeBuilder from '@axe-core/playwright';
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
          const results = await new AxeBuilder({ page })
            .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
            .analyze();
          const blocking = results.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${route.path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          expect(blocking).toEqual([]);
        }
      });
    });
  }
}
