// The engine-gap inventory: what WebKit and Firefox offer of the APIs
// GreenWatch uses (support/probes.ts), asked in three kinds of session:
// - the WebDriver session the suites use (WebKit's is ephemeral, like
//   Safari's private browsing and several in-app browsers);
// - a normal session: WebKit's MiniBrowser started without --automation
//   (a persistent data folder), the page posting its answers back;
//   Firefox's WebDriver profile is already a normal one;
// - Firefox with its whole profile in private browsing.
// It prints a table and writes test-results/engine-gaps-<engine>.json; it
// checks nothing (an engine's feature set is a fact, not a test result).
// Run with scripts/engine-gaps (GW_ENGINE_PROBE=1 picks *.probe.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from './support/fixtures';
import { EngineBrowser, WEBKIT_MINIBROWSER } from './support/browsers';
import { probeEngine, type ProbeResult } from './support/probes';
import { Screen } from './support/screen';

const PHOTO = readFileSync(join(__dirname, '..', 'fixtures', 'photos', 'portrait_6.jpg')).toString('base64');

/** A page that registers a do-nothing service worker, and can run the probe by itself and post the answers. */
class ProbeSite {
  private answered: ((results: ProbeResult[]) => void) | null = null;
  /** The answers a page running the probe on its own has sent so far. */
  steps: ProbeResult[] = [];
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ProbeSite> {
    let site: ProbeSite;
    const page = (auto: boolean) => `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>probe</title>
<body><p id="state">waiting</p><button id="probe-button" aria-label="立即发送">send</button><script>
window.__probeStep = (result) => fetch('/step', { method: 'POST', body: JSON.stringify(result) });
window.onerror = (message) => fetch('/result', { method: 'POST', body: JSON.stringify([{ api: 'probe page', ok: false, detail: String(message) }]) });
const probeEngine = ${probeEngine.toString()};
navigator.serviceWorker && navigator.serviceWorker.register('/probe-sw.js');
${auto ? `(async () => {
  if (navigator.serviceWorker) {
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 5000))]);
  }
  const results = await probeEngine(${JSON.stringify(PHOTO)});
  await fetch('/result', { method: 'POST', body: JSON.stringify(results) });
  document.getElementById('state').textContent = 'done';
})();` : ''}
</script></body></html>`;
    const server = http.createServer((request, response) => {
      if (request.method === 'POST' && request.url === '/step') {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          response.end('ok');
          site.steps.push(JSON.parse(body));
        });
        return;
      }
      if (request.method === 'POST' && request.url === '/result') {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          response.end('ok');
          site.answered?.(JSON.parse(body));
        });
        return;
      }
      if (request.url === '/probe-sw.js') {
        response.setHeader('content-type', 'text/javascript');
        response.end(`self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', () => {});`);
        return;
      }
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(page(request.url === '/auto.html'));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as import('node:net').AddressInfo;
    site = new ProbeSite(server, `http://127.0.0.1:${port}`);
    return site;
  }

  nextAnswer(timeoutMs: number): Promise<ProbeResult[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no probe answer within ${timeoutMs} ms`)), timeoutMs);
      this.answered = (results) => {
        clearTimeout(timer);
        resolve(results);
      };
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((closed) => this.server.close(() => closed()));
  }
}

async function probeThroughWebDriver(screen: Screen, site: ProbeSite): Promise<ProbeResult[]> {
  await screen.goto(site.url + '/probe.html');
  await screen
    .waitForFunction('the probe worker to control the page', () => navigator.serviceWorker?.controller != null, [], { timeout: 10_000 })
    .catch(() => undefined);
  const results = await screen.evaluate(probeEngine, PHOTO);
  // What the driver itself offers: the accessibility tree's role and name
  // (WebDriver's computedrole / computedlabel), used to check our locators.
  try {
    const button = await screen.driver.findElement({ id: 'probe-button' });
    const [role, label] = await Promise.all([button.getAriaRole(), button.getAccessibleName()]);
    results.push({
      api: 'WebDriver: Get Computed Role / Label',
      ok: role === 'button' && label === '立即发送',
      detail: `role ${JSON.stringify(role)}, label ${JSON.stringify(label)} (expected "button", "立即发送")`,
    });
  } catch (error) {
    results.push({ api: 'WebDriver: Get Computed Role / Label', ok: false, detail: String(error).slice(0, 200) });
  }
  return results;
}

type Inventory = Record<string, ProbeResult[]>;

function print(engine: string, version: string, inventory: Inventory): void {
  const sessions = Object.keys(inventory);
  const apis = [...new Set(sessions.flatMap((s) => inventory[s].map((r) => r.api)))];
  const lines = [`\n## ${engine}: ${version}\n`, `| API | ${sessions.join(' | ')} |`, `| --- |${sessions.map(() => ' --- |').join('')}`];
  for (const api of apis) {
    const cells = sessions.map((s) => {
      const r = inventory[s].find((x) => x.api === api);
      return r ? `${r.ok ? 'yes' : '**no**'}: ${r.detail.replace(/\|/g, '\\|')}` : '';
    });
    lines.push(`| ${api} | ${cells.join(' | ')} |`);
  }
  console.log(lines.join('\n'));
}

const inventory: Inventory = {};
let version = '';

test.afterAll(async ({ engine }) => {
  print(engine, version, inventory);
  const out = join(__dirname, '..', 'test-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `engine-gaps-${engine}.json`), JSON.stringify({ engine, version, inventory }, null, 2));
});

// Before any WebDriver session of this worker is open, so no other MiniBrowser runs beside it.
test('a normal session (WebKit) or private browsing (Firefox)', async ({ engine, display }) => {
  test.setTimeout(180_000);
  const site = await ProbeSite.start();
  try {
    if (engine === 'webkit') {
      // MiniBrowser on its own keeps its data in a folder (XDG_DATA_HOME): a
      // normal session. HOME and the caches stay this user's (a fresh
      // fontconfig cache alone can take minutes to build).
      const home = mkdtempSync(join(tmpdir(), 'greenwatch-minibrowser-'));
      const answer = site.nextAnswer(120_000);
      // (No --enable-mock-capture-devices here: given before a URL, that option takes the URL as its value.)
      const child = spawn(WEBKIT_MINIBROWSER, [site.url + '/auto.html'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DISPLAY: display!,
          XDG_DATA_HOME: home,
          LANGUAGE: 'zh_CN',
          NO_AT_BRIDGE: '1',
          WEBKIT_DISABLE_DMABUF_RENDERER: '1',
          LIBGL_ALWAYS_SOFTWARE: '1',
        },
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const key = 'normal session (MiniBrowser, no automation)';
      try {
        inventory[key] = await answer;
      } catch (error) {
        // The answers sent one by one are enough (the final post can be lost when the page is closed).
        inventory[key] = site.steps.length ? site.steps : [{ api: 'probe', ok: false, detail: `${error}; output: ${output.slice(-2000)}` }];
      } finally {
        child.kill('SIGTERM');
        rmSync(home, { recursive: true, force: true });
      }
    } else {
      const privateBrowser = await EngineBrowser.start('firefox', null, { privateBrowsing: true });
      try {
        inventory['private browsing'] = await probeThroughWebDriver(new Screen(privateBrowser.driver, 'firefox'), site);
      } finally {
        await privateBrowser.quit();
      }
    }
  } finally {
    await site.stop();
  }
});

test('the WebDriver session the suites use', async ({ engine, screen, session }) => {
  test.setTimeout(180_000);
  const site = await ProbeSite.start();
  try {
    const key = engine === 'webkit' ? 'WebDriver session (ephemeral)' : 'WebDriver session (normal profile)';
    inventory[key] = await probeThroughWebDriver(screen, site);
    version = await session.version();
  } finally {
    await site.stop();
  }
});
