// What a test sees and does in a WebDriver browser, in the shape of
// Playwright's page API (so specs read like the Chromium ones): locators by
// role and accessible name, by label, by text, that wait until they find
// exactly one element, and act on it as a person would (click, type, pick
// files). The query itself runs in the page (query.ts).
import { error as webdriverError, type WebDriver, type WebElement } from 'selenium-webdriver';
import type { EngineName } from './browsers';
import { matcher, runQuery, type Matcher, type Step } from './query';

const DEFAULT_TIMEOUT = 15_000;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RoleOptions {
  name?: string | RegExp;
  /** With a string name: match the whole name (default) or a part of it. */
  exact?: boolean;
  level?: number;
  checked?: boolean;
}

export interface WaitOptions {
  timeout?: number;
}

export class Screen {
  constructor(
    readonly driver: WebDriver,
    readonly engine: EngineName,
  ) {}

  async goto(url: string): Promise<void> {
    await this.driver.get(url);
  }

  /**
   * Reloads as a person does (an ordinary reload, through the service
   * worker): geckodriver's WebDriver Refresh bypasses the service worker in
   * Firefox (measured), so the page reloads itself.
   */
  async reload(): Promise<void> {
    const before = await this.evaluate(() => performance.timeOrigin);
    await this.driver.executeScript('location.reload()');
    await this.waitForFunction('the page to reload', (t: number) => performance.timeOrigin !== t, [before]);
  }

  /** Follows a link to `url` from the page, as a person would (WebDriver's Navigate To may bypass the service worker in Firefox). */
  async navigate(url: string): Promise<void> {
    const before = await this.evaluate(() => performance.timeOrigin);
    await this.driver.executeScript('location.assign(arguments[0])', url);
    await this.waitForFunction('the page to load', (t: number) => performance.timeOrigin !== t, [before]);
  }

  async url(): Promise<string> {
    return this.driver.getCurrentUrl();
  }

  /**
   * Runs `fn` in the page with JSON-serialisable arguments and returns its
   * (awaited) result, like Playwright's `page.evaluate`.
   */
  async evaluate<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
    return this.driver.executeScript(`return (${fn.toString()}).apply(null, arguments);`, ...args) as Promise<R>;
  }

  /** Waits until `fn` in the page returns a truthy value, and returns it. */
  async waitForFunction<A extends unknown[], R>(
    what: string,
    fn: (...args: A) => R | Promise<R>,
    args: A,
    { timeout = DEFAULT_TIMEOUT }: WaitOptions = {},
  ): Promise<R> {
    const deadline = Date.now() + timeout;
    let last: unknown;
    for (;;) {
      try {
        const value = await this.evaluate(fn, ...args);
        if (value) return value;
        last = value;
      } catch (error) {
        // A navigation in progress: try again.
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}; last: ${String(last)}`);
      await sleep(POLL_MS);
    }
  }

  getByRole(role: string, options: RoleOptions = {}): Locator {
    return new Locator(this, []).getByRole(role, options);
  }

  getByText(text: string | RegExp, { exact = true } = {}): Locator {
    return new Locator(this, []).getByText(text, { exact });
  }

  getByLabel(text: string | RegExp, { exact = true } = {}): Locator {
    return new Locator(this, []).getByLabel(text, { exact });
  }

  locator(selector: string): Locator {
    return new Locator(this, [{ kind: 'css', selector }]);
  }

  async screenshot(): Promise<Buffer> {
    return Buffer.from(await this.driver.takeScreenshot(), 'base64');
  }
}

export class Locator {
  constructor(
    private readonly screen: Screen,
    private readonly steps: Step[],
  ) {}

  private then(step: Step): Locator {
    return new Locator(this.screen, [...this.steps, step]);
  }

  getByRole(role: string, { name, exact = true, level, checked }: RoleOptions = {}): Locator {
    return this.then({ kind: 'role', role, name: name === undefined ? undefined : matcher(name, exact), level, checked });
  }

  getByText(text: string | RegExp, { exact = true } = {}): Locator {
    return this.then({ kind: 'text', text: matcher(text, exact) });
  }

  getByLabel(text: string | RegExp, { exact = true } = {}): Locator {
    return this.then({ kind: 'label', text: matcher(text, exact) });
  }

  locator(selector: string): Locator {
    return this.then({ kind: 'css', selector });
  }

  /** Keeps the matches whose text contains `text` (or matches the RegExp). */
  filter({ hasText }: { hasText: string | RegExp }): Locator {
    return this.then({ kind: 'hasText', text: matcher(hasText, false) as Matcher });
  }

  nth(index: number): Locator {
    return this.then({ kind: 'nth', index });
  }

  first(): Locator {
    return this.nth(0);
  }

  last(): Locator {
    return this.nth(-1);
  }

  toString(): string {
    return this.steps
      .map((step) => {
        const m = (x: Matcher | undefined) =>
          x === undefined ? '' : 'source' in x ? `/${x.source}/${x.flags}` : JSON.stringify(x.string);
        switch (step.kind) {
          case 'role':
            return `role=${step.role}${step.name ? `[name=${m(step.name)}]` : ''}${step.level ? `[level=${step.level}]` : ''}`;
          case 'text':
            return `text=${m(step.text)}`;
          case 'label':
            return `label=${m(step.text)}`;
          case 'hasText':
            return `has-text=${m(step.text)}`;
          case 'css':
            return `css=${step.selector}`;
          case 'nth':
            return `nth=${step.index}`;
        }
      })
      .join(' >> ');
  }

  /** Every element matching now (may be none). */
  async all(): Promise<WebElement[]> {
    return (await this.screen.evaluate(runQuery, this.steps, 'elements')) as unknown as WebElement[];
  }

  async count(): Promise<number> {
    return (await this.all()).length;
  }

  /** The role and accessible name our query computes for each match. */
  async names(): Promise<{ role: string | null; name: string }[]> {
    return (await this.screen.evaluate(runQuery, this.steps, 'names')) as { role: string | null; name: string }[];
  }

  private async explain(): Promise<string> {
    try {
      return String(await this.screen.evaluate(runQuery, this.steps, 'describe'));
    } catch (error) {
      return `the page could not be queried: ${error}`;
    }
  }

  /** Waits for exactly one match and returns it. */
  async element({ timeout = DEFAULT_TIMEOUT }: WaitOptions = {}): Promise<WebElement> {
    const deadline = Date.now() + timeout;
    let found: WebElement[] = [];
    for (;;) {
      try {
        found = await this.all();
      } catch {
        found = []; // a navigation in progress
      }
      if (found.length === 1) return found[0];
      if (found.length > 1) {
        const names = await this.names().catch(() => []);
        throw new Error(`${this} matched ${found.length} elements: ${JSON.stringify(names)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`${this}: nothing within ${timeout} ms (${await this.explain()}) on ${await this.screen.url()}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits until it is there (exactly one match). */
  async waitFor(options: WaitOptions = {}): Promise<void> {
    await this.element(options);
  }

  /** Waits until there are exactly `n` matches. */
  async waitForCount(n: number, { timeout = DEFAULT_TIMEOUT }: WaitOptions = {}): Promise<void> {
    const deadline = Date.now() + timeout;
    let count = -1;
    for (;;) {
      count = await this.count().catch(() => -1);
      if (count === n) return;
      if (Date.now() > deadline) {
        throw new Error(`${this}: ${count} matches after ${timeout} ms, expected ${n} (${await this.explain()})`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits until nothing matches. */
  async waitForGone(options: WaitOptions = {}): Promise<void> {
    await this.waitForCount(0, options);
  }

  async isPresent(): Promise<boolean> {
    return (await this.count()) > 0;
  }

  async click(options: WaitOptions = {}): Promise<void> {
    const element = await this.element(options);
    await this.screen.evaluate((el: any) => el.scrollIntoView({ block: 'center' }), element as any);
    try {
      await element.click();
    } catch (error) {
      if (!(error instanceof webdriverError.ElementClickInterceptedError)) throw error;
      // Something sticky (the bottom navigation) covered it: scroll it to the top and try once more.
      await this.screen.evaluate((el: any) => el.scrollIntoView({ block: 'start' }), element as any);
      await element.click();
    }
  }

  /** Checks a radio button or checkbox (a click, as a person would), if not already checked. */
  async check(options: WaitOptions = {}): Promise<void> {
    const element = await this.element(options);
    if (!(await element.isSelected())) await this.click(options);
    if (!(await element.isSelected())) throw new Error(`${this} is still not checked after a click`);
  }

  /** Types `text` into a text field after clearing it, and checks it arrived whole. */
  async fill(text: string, options: WaitOptions = {}): Promise<void> {
    const element = await this.element(options);
    await this.screen.evaluate((el: any) => el.scrollIntoView({ block: 'center' }), element as any);
    await element.clear();
    await element.sendKeys(text);
    const value = await element.getAttribute('value');
    if (value !== text) {
      throw new Error(`${this}: typed ${JSON.stringify(text)} but the field holds ${JSON.stringify(value)}`);
    }
  }

  /** Picks files in a file input, as the file chooser would (absolute paths). */
  async setInputFiles(paths: string[], options: WaitOptions = {}): Promise<void> {
    const element = await this.element(options);
    await element.sendKeys(paths.join('\n'));
  }

  /** Chooses an option of a <select> by its visible text. */
  async selectOption(label: string, options: WaitOptions = {}): Promise<void> {
    const element = await this.element(options);
    const option = await element.findElement({ xpath: `.//option[normalize-space(.)=${xpathString(label)}]` });
    await option.click();
  }

  async textContent(options: WaitOptions = {}): Promise<string> {
    const element = await this.element(options);
    return this.screen.evaluate((el: any) => (el.textContent as string).replace(/\s+/g, ' ').trim(), element as any);
  }

  async inputValue(options: WaitOptions = {}): Promise<string> {
    const element = await this.element(options);
    return (await element.getAttribute('value')) ?? '';
  }

  async getAttribute(name: string, options: WaitOptions = {}): Promise<string | null> {
    const element = await this.element(options);
    return element.getAttribute(name);
  }

  /** Waits until the element's text matches (a part of it for a string). */
  async waitForText(expected: string | RegExp, { timeout = DEFAULT_TIMEOUT }: WaitOptions = {}): Promise<string> {
    const deadline = Date.now() + timeout;
    let text = '';
    for (;;) {
      try {
        text = await this.textContent({ timeout: Math.max(0, deadline - Date.now()) });
        if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`${this}: text ${JSON.stringify(text)} never matched ${expected}`);
      await sleep(POLL_MS);
    }
  }
}

function xpathString(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  return `concat('${value.split("'").join(`', "'", '`)}')`;
}
