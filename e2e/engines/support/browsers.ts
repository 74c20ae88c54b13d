// How the WebKit and Firefox suites start their browsers: Debian's
// WebKitGTK (WebKitWebDriver driving MiniBrowser under Xvfb, the engine of
// Safari) and Debian's Firefox ESR (geckodriver from crates.io, headless),
// each driver started here on a free port and spoken to over W3C WebDriver
// with selenium-webdriver (`usingServer`, so Selenium Manager never runs and
// nothing is downloaded). scripts/setup.sh's setup_engines installs them and
// exports the paths read below.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Capabilities, WebDriver } from 'selenium-webdriver';
import { Executor, HttpClient } from 'selenium-webdriver/http';

export type EngineName = 'webkit' | 'firefox';

export const WEBKIT_WEBDRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';
export const WEBKIT_MINIBROWSER =
  process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const FIREFOX_BIN = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';
export const GECKODRIVER = process.env.GECKODRIVER ?? join(process.env.HOME ?? '/root', '.cargo', 'bin', 'geckodriver');

/** A port nobody listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Ends a child process and waits for it (SIGKILL after 5 s). */
async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** An X server with no screen, for WebKitGTK (it has no headless mode). */
export class Xvfb {
  private constructor(
    readonly display: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts Xvfb on the first free display number (it says which on fd 3). */
  static async start(): Promise<Xvfb> {
    const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const display = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Xvfb did not start: ${errors}`)), 15_000);
      child.on('error', (error) => reject(new Error(`Xvfb could not run (setup_engines installs it): ${error}`)));
      child.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${errors}`)));
      let out = '';
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(':' + out.trim());
        }
      });
    });
    return new Xvfb(display, child);
  }

  async stop(): Promise<void> {
    await end(this.child);
  }
}

/** A WebDriver server (WebKitWebDriver or geckodriver) on a free port. */
class DriverProcess {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    readonly log: () => string,
  ) {}

  static async start(binary: string, args: (port: number) => string[], env: NodeJS.ProcessEnv): Promise<DriverProcess> {
    const port = await freePort();
    const child = spawn(binary, args(port), { stdio: ['ignore', 'pipe', 'pipe'], env });
    let log = '';
    const keep = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.length > 200_000) log = log.slice(-100_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    const exited = new Promise<never>((_, reject) => {
      child.on('error', (error) => reject(new Error(`${binary} could not run (setup_engines installs it): ${error}`)));
      child.on('exit', (code) => reject(new Error(`${binary} exited with ${code}: ${log}`)));
    });
    const ready = (async () => {
      for (let attempt = 0; attempt < 150; attempt++) {
        try {
          const answer = await fetch(`${url}/status`);
          if (answer.ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${binary} did not answer on ${url}: ${log}`);
    })();
    await Promise.race([ready, exited]);
    exited.catch(() => undefined);
    return new DriverProcess(url, child, () => log);
  }

  async stop(): Promise<void> {
    await end(this.child);
  }
}

/**
 * A W3C session on a driver we started (selenium's Builder wants a browser
 * it knows by name and would run Selenium Manager; this asks the driver
 * directly).
 */
async function newSession(url: string, capabilities: Capabilities): Promise<WebDriver> {
  const driver = WebDriver.createSession(new Executor(new HttpClient(url)), capabilities);
  await driver.getSession();
  return driver;
}

/** What the suites ask of a browser beyond the W3C defaults. */
export interface BrowserOptions {
  /**
   * Firefox only: the whole profile in private browsing (WebKit's
   * automation session is always ephemeral, like Safari's private mode).
   */
  privateBrowsing?: boolean;
}

/** One browser with its WebDriver session. */
export class EngineBrowser {
  private constructor(
    readonly engine: EngineName,
    readonly driver: WebDriver,
    private readonly process: DriverProcess,
    private readonly profileDir: string | null,
  ) {}

  static async start(engine: EngineName, display: string | null, options: BrowserOptions = {}): Promise<EngineBrowser> {
    return engine === 'webkit' ? EngineBrowser.webkit(display) : EngineBrowser.firefox(options);
  }

  private static async webkit(display: string | null): Promise<EngineBrowser> {
    if (!display) throw new Error('WebKitGTK needs an X display: start Xvfb first');
    const env = {
      ...process.env,
      DISPLAY: display,
      // The page's navigator.languages (GLib reads LANGUAGE).
      LANGUAGE: 'zh_CN',
      // No accessibility bus under Xvfb: keep GTK from looking for one.
      NO_AT_BRIDGE: '1',
      // No GPU here: software rendering, no DMA-BUF renderer.
      WEBKIT_DISABLE_DMABUF_RENDERER: '1',
      LIBGL_ALWAYS_SOFTWARE: '1',
    };
    const processHandle = await DriverProcess.start(WEBKIT_WEBDRIVER, (port) => [`--port=${port}`], env);
    const capabilities = new Capabilities({
      'webkitgtk:browserOptions': {
        binary: WEBKIT_MINIBROWSER,
        // --automation: driven by WebDriver (an ephemeral session);
        // mock capture devices: a fake microphone and camera.
        args: ['--automation', '--enable-mock-capture-devices'],
      },
    });
    try {
      const driver = await newSession(processHandle.url, capabilities);
      return new EngineBrowser('webkit', driver, processHandle, null);
    } catch (error) {
      await processHandle.stop();
      throw new Error(`WebKit session refused: ${error}\n${processHandle.log()}`);
    }
  }

  private static async firefox(options: BrowserOptions): Promise<EngineBrowser> {
    const profileDir = mkdtempSync(join(tmpdir(), 'greenwatch-geckodriver-'));
    const processHandle = await DriverProcess.start(
      GECKODRIVER,
      (port) => ['--port', String(port), '--host', '127.0.0.1', '--profile-root', profileDir],
      { ...process.env, MOZ_HEADLESS: '1' },
    );
    const prefs: Record<string, unknown> = {
      'intl.accept_languages': 'zh-CN, zh',
      // A fake microphone (a tone) that needs no permission prompt.
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      // Off the network: no updates, telemetry or remote settings.
      'app.update.disabledForTesting': true,
      'browser.safebrowsing.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'services.settings.server': 'http://127.0.0.1:9/',
      'extensions.update.enabled': false,
    };
    if (options.privateBrowsing) prefs['browser.privatebrowsing.autostart'] = true;
    // Diagnostic only (GW_FIREFOX_PERSIST_PROMPT=allow|deny): answer the
    // navigator.storage.persist() prompt, which nobody answers in a test and
    // whose promise the app awaits today (see the WebKit/Firefox report of #12).
    const persistAnswer = process.env.GW_FIREFOX_PERSIST_PROMPT;
    if (persistAnswer) {
      prefs['dom.storageManager.prompt.testing'] = true;
      prefs['dom.storageManager.prompt.testing.allow'] = persistAnswer === 'allow';
    }
    const capabilities = new Capabilities({
      browserName: 'firefox',
      'moz:firefoxOptions': { binary: FIREFOX_BIN, args: ['-headless'], prefs },
    });
    try {
      const driver = await newSession(processHandle.url, capabilities);
      return new EngineBrowser('firefox', driver, processHandle, profileDir);
    } catch (error) {
      await processHandle.stop();
      rmSync(profileDir, { recursive: true, force: true });
      throw new Error(`Firefox session refused: ${error}\n${processHandle.log()}`);
    }
  }

  /** The browser's name and version as its driver reports them. */
  async version(): Promise<string> {
    const capabilities = await this.driver.getCapabilities();
    return `${capabilities.getBrowserName()} ${capabilities.getBrowserVersion()}`;
  }

  /** The driver's own log (WebKitWebDriver also prints the browser's). */
  driverLog(): string {
    return this.process.log();
  }

  async quit(): Promise<void> {
    try {
      await this.driver.quit();
    } catch {
      // the session may already be gone
    }
    await this.process.stop();
    if (this.profileDir) rmSync(this.profileDir, { recursive: true, force: true });
  }
}
