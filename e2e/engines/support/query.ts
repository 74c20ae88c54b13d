// The in-page half of the locators (screen.ts): finds elements by ARIA role
// and accessible name, by text, or by CSS, the way Playwright's getByRole /
// getByText do for what GreenWatch's pages hold. It runs in the browser
// through WebDriver's Execute Script, so WebKit and Firefox answer with their
// own DOM and styles.
//
// Roles: an explicit `role` attribute, else the HTML element's implicit role
// (html-aam) for the elements the apps use. Names: a small accname 1.2 —
// aria-labelledby, aria-label, the native label (<label>, alt, <legend>,
// <caption>, value of input buttons), the subtree's text for roles named
// from content, then title and placeholder. Hidden elements (hidden,
// aria-hidden, display: none, visibility: hidden, inert) are never matched;
// a visually hidden one (clipped, 1 px) is, as in the accessibility tree.
// The test "locators agree with the browser's accessibility tree"
// (accessibility.spec.ts) holds these names against the engine's own
// computed role and label where its WebDriver offers them.

/** One step of a locator chain, applied to the matches of the step before. */
export type Step =
  | { kind: 'role'; role: string; name?: Matcher; level?: number; checked?: boolean }
  | { kind: 'text'; text: Matcher }
  | { kind: 'label'; text: Matcher }
  | { kind: 'css'; selector: string }
  | { kind: 'hasText'; text: Matcher }
  | { kind: 'nth'; index: number };

/** A string (whole, case-sensitive after whitespace is collapsed; or a part with exact: false) or a RegExp. */
export type Matcher = { string: string; exact: boolean } | { source: string; flags: string };

export function matcher(value: string | RegExp, exact = true): Matcher {
  return typeof value === 'string' ? { string: value, exact } : { source: value.source, flags: value.flags };
}

/**
 * Runs in the page: returns the elements matching the chain (document
 * order); with mode `describe`, a sentence on the step that matched nothing
 * and what of its role was there, for error messages; with `names`, the role
 * and name computed for each match. Self-contained (it is serialised).
 */
export function runQuery(
  steps: Step[],
  mode: 'elements' | 'describe' | 'names',
): Element[] | string | { role: string | null; name: string }[] {
  const describe = mode === 'describe';
  const IMPLICIT: Record<string, string> = {
    alert: '',
    alertdialog: '',
    article: 'article',
    banner: 'body > header',
    button: 'button, input[type=button], input[type=submit], input[type=reset], input[type=image], summary',
    cell: 'td',
    checkbox: 'input[type=checkbox]',
    columnheader: 'th',
    combobox: 'select:not([multiple]):not([size]), input[list]',
    contentinfo: 'body > footer',
    dialog: 'dialog',
    form: 'form',
    group: 'fieldset, details, optgroup',
    heading: 'h1, h2, h3, h4, h5, h6',
    img: 'img:not([alt=""])',
    link: 'a[href], area[href]',
    list: 'ul, ol, menu',
    listbox: 'select[multiple], select[size]',
    listitem: 'ul > li, ol > li, menu > li',
    main: 'main',
    navigation: 'nav',
    option: 'option',
    progressbar: 'progress',
    radio: 'input[type=radio]',
    region: 'section',
    row: 'tr',
    searchbox: 'input[type=search]',
    slider: 'input[type=range]',
    spinbutton: 'input[type=number]',
    status: 'output',
    table: 'table',
    textbox:
      'textarea, input:not([type]):not([list]), input[type=text]:not([list]), input[type=email]:not([list]), ' +
      'input[type=tel]:not([list]), input[type=url]:not([list]), input[type=password]',
    timer: '',
  };
  const FROM_CONTENT = new Set([
    'button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link', 'menuitem',
    'option', 'radio', 'row', 'rowheader', 'switch', 'tab', 'tooltip', 'treeitem',
  ]);
  const norm = (text: string) => text.replace(/\s+/g, ' ').trim();
  const matches = (m: Matcher, text: string): boolean => {
    const value = norm(text);
    if ('source' in m) return new RegExp(m.source, m.flags).test(value);
    return m.exact ? value === norm(m.string) : value.toLowerCase().includes(norm(m.string).toLowerCase());
  };

  const hidden = (el: Element): boolean => {
    for (let node: Element | null = el; node; node = node.parentElement) {
      if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true' || node.hasAttribute('inert')) {
        return true;
      }
      const style = getComputedStyle(node);
      if (style.display === 'none') return true;
      if (node === el && style.visibility !== 'visible') return true;
    }
    return false;
  };

  const roleOf = (el: Element): string | null => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit.trim().split(/\s+/)[0];
    for (const [role, selector] of Object.entries(IMPLICIT)) {
      if (selector && el.matches(selector)) {
        // A section or form is a landmark only with a name.
        if ((role === 'region' || role === 'form') && !nameOf(el, 'x')) return null;
        return role;
      }
    }
    return null;
  };

  // includeHidden: a node referenced by aria-labelledby counts even when hidden.
  const textOf = (node: Node, seen: Set<Element>, includeHidden = false): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const el = node as Element;
    if (seen.has(el) || (!includeHidden && hidden(el)) || el.matches('script, style, template')) return '';
    seen.add(el);
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return ' ' + label + ' ';
    if (el instanceof HTMLImageElement) return ' ' + (el.alt ?? '') + ' ';
    if (el instanceof HTMLInputElement && ['text', 'email', 'tel', 'url', 'search', 'number'].includes(el.type)) {
      return ' ' + el.value + ' ';
    }
    if (el instanceof HTMLSelectElement) return ' ' + (el.selectedOptions[0]?.textContent ?? '') + ' ';
    let text = '';
    for (const child of Array.from(el.childNodes)) text += textOf(child, seen, includeHidden);
    const display = getComputedStyle(el).display;
    return display.startsWith('inline') ? text : ' ' + text + ' ';
  };

  function nameOf(el: Element, role: string | null): string {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) {
      const parts = labelledby
        .split(/\s+/)
        .map((id) => document.getElementById(id))
        .filter((ref): ref is HTMLElement => ref !== null)
        // The element itself among them: its content (not its labelledby again).
        .map((ref) => (ref === el ? textOf(el, new Set()) : textOf(ref, new Set(), true)));
      const joined = norm(parts.join(' '));
      if (joined) return joined;
    }
    const label = el.getAttribute('aria-label');
    if (label && norm(label)) return norm(label);
    if (el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type)) {
      return norm(el.value || (el.type === 'submit' ? 'Submit' : el.type === 'reset' ? 'Reset' : ''));
    }
    if (el instanceof HTMLInputElement && el.type === 'image') return norm(el.alt || el.value || 'Submit');
    if (
      (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) &&
      el.labels &&
      el.labels.length > 0
    ) {
      const text = norm(Array.from(el.labels).map((l) => textOf(l, new Set([el]))).join(' '));
      if (text) return text;
    }
    if (el instanceof HTMLImageElement) return norm(el.alt ?? '');
    if (el instanceof HTMLFieldSetElement) {
      const legend = el.querySelector(':scope > legend');
      if (legend) return norm(textOf(legend, new Set()));
    }
    if (el instanceof HTMLTableElement && el.caption) return norm(textOf(el.caption, new Set()));
    if (role && FROM_CONTENT.has(role)) {
      const text = norm(textOf(el, new Set()));
      if (text) return text;
    }
    const title = el.getAttribute('title');
    if (title && norm(title)) return norm(title);
    const placeholder = el.getAttribute('placeholder');
    return placeholder ? norm(placeholder) : '';
  }

  const levelOf = (el: Element): number | null => {
    const aria = el.getAttribute('aria-level');
    if (aria) return Number(aria);
    const match = /^H([1-6])$/.exec(el.tagName);
    return match ? Number(match[1]) : null;
  };

  const checkedOf = (el: Element): boolean | null => {
    const aria = el.getAttribute('aria-checked');
    if (aria) return aria === 'true';
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) return el.checked;
    return null;
  };

  const within = (roots: Element[], selector: string): Element[] => {
    const found = new Set<Element>();
    for (const root of roots) root.querySelectorAll(selector).forEach((el) => found.add(el));
    return Array.from(found);
  };

  /** The innermost visible elements whose text matches (no child matches too). */
  const byText = (roots: Element[], m: Matcher): Element[] =>
    within(roots, 'body *, body').filter((el) => {
      if (el.matches('script, style, template, head, head *') || hidden(el)) return false;
      if (!matches(m, textOf(el, new Set()))) return false;
      return !Array.from(el.children).some((child) => !hidden(child) && matches(m, textOf(child, new Set())));
    });

  let current: Element[] = [document.documentElement];
  let candidates = '';
  for (const step of steps) {
    const roots = current;
    switch (step.kind) {
      case 'css':
        current = within(roots, step.selector);
        break;
      case 'text':
        current = byText(roots, step.text);
        break;
      case 'label':
        current = within(roots, 'input, select, textarea, [role]').filter(
          (el) => !(el instanceof HTMLInputElement && el.type === 'hidden') && matches(step.text, nameOf(el, roleOf(el))),
        );
        break;
      case 'hasText':
        current = roots.filter((el) => matches(step.text, textOf(el, new Set())));
        break;
      case 'nth':
        current = step.index < 0 ? roots.slice(step.index).slice(0, 1) : roots.slice(step.index, step.index + 1);
        break;
      case 'role': {
        const ofRole = within(roots, '*').filter((el) => !hidden(el) && roleOf(el) === step.role);
        const named = ofRole.map((el) => ({ el, name: nameOf(el, step.role) }));
        if (describe) {
          candidates = named.map((n) => JSON.stringify(n.name)).slice(0, 20).join(', ') || 'none';
        }
        current = named
          .filter(({ el, name }) => {
            if (step.name && !matches(step.name, name)) return false;
            if (step.level !== undefined && levelOf(el) !== step.level) return false;
            if (step.checked !== undefined && checkedOf(el) !== step.checked) return false;
            return true;
          })
          .map(({ el }) => el);
        break;
      }
    }
    if (describe && current.length === 0) return candidates ? `${step.kind} step matched nothing; of its role there are: ${candidates}` : `${step.kind} step matched nothing`;
  }
  if (mode === 'names') return current.map((el) => ({ role: roleOf(el), name: nameOf(el, roleOf(el)) }));
  return describe ? `${current.length} match(es)` : current;
}
