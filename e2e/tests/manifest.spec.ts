// Installable: a valid, linked manifest with real icons, and a service worker
// that controls the page and precaches exactly the files of the build.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test, expect, expectControlledByServiceWorker, DIST_A } from '../fixtures/server';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function filesOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push('/' + relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

test('the manifest is linked and valid, and its icons are real', async ({ page, server }) => {
  await page.goto(server.url + '/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const response = await page.request.get(new URL(href!, server.url).toString());
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/manifest+json');
  const manifest = await response.json();

  expect(manifest.name).toContain('GreenWatch');
  expect(manifest.short_name.length).toBeGreaterThan(0);
  expect(manifest.short_name.length).toBeLessThanOrEqual(12);
  expect(manifest.display).toBe('standalone');
  expect(manifest.lang).toBe('zh-CN');
  expect(manifest.scope).toBe('/');
  expect(new URL(manifest.start_url, server.url).pathname.startsWith(manifest.scope)).toBe(true);
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);

  const icons: { src: string; sizes: string; type: string; purpose?: string }[] = manifest.icons;
  const purposes = (icon: { purpose?: string }) => (icon.purpose ?? 'any').split(/\s+/);
  expect(icons.some((i) => i.sizes === '192x192' && purposes(i).includes('any'))).toBe(true);
  expect(icons.some((i) => i.sizes === '512x512' && purposes(i).includes('any'))).toBe(true);
  expect(icons.some((i) => purposes(i).includes('maskable'))).toBe(true);
  for (const icon of icons) {
    const file = await page.request.get(new URL(icon.src, server.url).toString());
    expect(file.status(), icon.src).toBe(200);
    expect(file.headers()['content-type']).toBe(icon.type);
    const { width, height } = pngSize(await file.body());
    expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
  }
});

test('the service worker controls the page and precaches exactly the build', async ({ page, server }) => {
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
  expect(scope).toBe(server.url + '/');

  // Every file of the build but the worker itself, the stored .br/.gz
  // copies and the staff console (its own entry, never cached on a citizen's phone).
  const build = filesOf(DIST_A).filter(
    (file) => file !== '/sw.js' && !/\.(br|gz)$/.test(file) && !file.startsWith('/staff/'),
  );
  expect(filesOf(DIST_A).some((file) => file.startsWith('/staff/'))).toBe(true);
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names[0]);
    return (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
  });
  expect(cached).toEqual(build);
});
