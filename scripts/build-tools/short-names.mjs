// Short names for the links between the wasm-bindgen JS glue and its wasm.
//
// wasm-bindgen names every JS function the wasm imports `__wbg_<name>_<16
// hex digits>` (314 of them in the citizen app) and the closure entry points
// it exports `wasm_bindgen__convert__closures_____invoke__h<16 hex>`; each
// name is written twice, in the wasm's import or export section and in the
// glue, and the hex digits do not compress: about 7 KiB of the first load's
// brotli bytes. shortNames() renames every import (and its module,
// `./<bin>_bg.js`) and those exports to short names, the same in both files.
// The renaming is a pure function of the two inputs (names are handed out
// in the order of the wasm's sections), so a build stays reproducible.
//
// It works on the glue exactly as wasm-bindgen writes it (before esbuild)
// and refuses anything it does not recognise: every import must be a key of
// the glue's import object exactly once, every renamed export must be
// called only as `wasm.<name>`, and all imports must come from that one
// module. The Playwright suite (e2e/) runs the renamed builds.

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
// The import module's new name.
const MODULE = 'wbg';
const RENAMED_EXPORT = /^wasm_bindgen__convert__closures_____invoke__h[0-9a-f]{16}(_\d+)?$/;

/** The n-th short name: a … Z, aa … ZZ, …: valid JS identifiers. */
export function shortName(n) {
  let name = '';
  let rest = n;
  do {
    name = LETTERS[rest % LETTERS.length] + name;
    rest = Math.floor(rest / LETTERS.length) - 1;
  } while (rest >= 0);
  return name;
}

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let offset = at;
  let byte;
  do {
    byte = bytes[offset];
    offset += 1;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, offset];
}

function leb(value) {
  const out = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest) byte |= 0x80;
    out.push(byte);
  } while (rest);
  return Buffer.from(out);
}

function readName(bytes, at) {
  const [length, start] = readLeb(bytes, at);
  return [bytes.subarray(start, start + length).toString('utf8'), start + length];
}

function name(text) {
  const encoded = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(encoded.length), encoded]);
}

// The bytes of one import's description after its names (kind and type).
function skipImportDesc(bytes, at) {
  const kind = bytes[at];
  let offset = at + 1;
  const limits = () => {
    const flags = bytes[offset];
    offset += 1;
    [, offset] = readLeb(bytes, offset);
    if (flags & 1) [, offset] = readLeb(bytes, offset);
  };
  switch (kind) {
    case 0: // function: type index
      [, offset] = readLeb(bytes, offset);
      break;
    case 1: // table: reference type, limits
      offset += 1;
      limits();
      break;
    case 2: // memory: limits
      limits();
      break;
    case 3: // global: value type, mutability
      offset += 2;
      break;
    case 4: // tag: attribute, type index
      offset += 1;
      [, offset] = readLeb(bytes, offset);
      break;
    default:
      throw new Error(`short-names: unknown import kind ${kind}`);
  }
  return offset;
}

/** The sections of a wasm module: [{ id, body }] (body without id and size). */
function sections(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('short-names: not a wasm module');
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = readLeb(bytes, at + 1);
    out.push({ id, body: bytes.subarray(start, start + size) });
    at = start + size;
  }
  return out;
}

function assemble(header, list) {
  return Buffer.concat([header, ...list.flatMap(({ id, body }) => [Buffer.from([id]), leb(body.length), body])]);
}

// How many times `literal` occurs in `text`.
function count(text, literal) {
  return text.split(literal).length - 1;
}

// How many times `word` occurs in `text` as a whole JS identifier; with
// `member`, only as a property (`.word`).
function words(text, word, member = false) {
  const start = member ? '\\.' : '(?<![A-Za-z0-9_$.])';
  return (text.match(new RegExp(`${start}${word.replace(/\$/g, '\\$')}(?![A-Za-z0-9_$])`, 'g')) ?? []).length;
}

/**
 * The wasm with its imports (module and names) and its closure-invoking
 * exports renamed: { wasm, module, renames } (renames: old name -> new).
 * Other sections, the name section too, are kept byte for byte.
 */
export function shortWasmNames(wasm) {
  const list = sections(wasm);
  const renames = new Map();
  const exportNames = new Set();
  let next = 0;
  let module = null;

  const rewritten = list.map((section) => {
    if (section.id === 2) {
      const { body } = section;
      let [entries, at] = readLeb(body, 0);
      const out = [leb(entries)];
      for (let i = 0; i < entries; i += 1) {
        let importModule;
        let field;
        [importModule, at] = readName(body, at);
        [field, at] = readName(body, at);
        const descStart = at;
        at = skipImportDesc(body, at);
        if (module === null) module = importModule;
        if (importModule !== module) throw new Error(`short-names: imports from two modules (${module}, ${importModule})`);
        if (renames.has(field)) throw new Error(`short-names: import ${field} twice`);
        const short = shortName(next);
        next += 1;
        renames.set(field, short);
        out.push(name(MODULE), name(short), body.subarray(descStart, at));
      }
      return { id: 2, body: Buffer.concat(out) };
    }
    if (section.id === 7) {
      const { body } = section;
      let [entries, at] = readLeb(body, 0);
      const out = [leb(entries)];
      for (let i = 0; i < entries; i += 1) {
        let exported;
        [exported, at] = readName(body, at);
        const descStart = at;
        at += 1; // kind
        [, at] = readLeb(body, at);
        let newName = exported;
        if (RENAMED_EXPORT.test(exported)) {
          newName = shortName(next);
          next += 1;
          renames.set(exported, newName);
        }
        if (exportNames.has(newName)) throw new Error(`short-names: export ${newName} twice`);
        exportNames.add(newName);
        out.push(name(newName), body.subarray(descStart, at));
      }
      return { id: 7, body: Buffer.concat(out) };
    }
    return section;
  });
  return { wasm: assemble(wasm.subarray(0, 8), rewritten), module, renames };
}

/**
 * Renames, in both the wasm and the glue wasm-bindgen wrote for it, the
 * wasm's imports and its closure-invoking exports. Returns { wasm, glue }.
 */
export function shortNames(wasm, glue) {
  const { wasm: renamed, module, renames } = shortWasmNames(wasm);
  if (module === null) return { wasm, glue };
  let text = glue;
  // The import object's module key, each import's key, each renamed
  // export's calls.
  const moduleKey = `${JSON.stringify(module)}: import0,`;
  if (count(text, moduleKey) !== 1) throw new Error(`short-names: the glue has no single import object key ${moduleKey}`);
  text = text.replace(moduleKey, `${MODULE}: import0,`);
  for (const [old, short] of renames) {
    if (RENAMED_EXPORT.test(old)) {
      // Called as wasm.<name>(…) only; the glue's own wrapper function of
      // the same name is a local that esbuild renames anyway.
      const call = `wasm.${old}(`;
      if (count(text, call) === 0 || count(text, call) !== words(text, old, true)) {
        throw new Error(`short-names: the glue uses export ${old} other than as wasm.${old}(…)`);
      }
      if (count(text, `"${old}"`) + count(text, `'${old}'`) !== 0) throw new Error(`short-names: the glue names export ${old} in a string`);
      text = text.split(call).join(`wasm.${short}(`);
    } else {
      const key = `\n        ${old}: function(`;
      if (count(text, key) !== 1) throw new Error(`short-names: import ${old} is not once a key of the glue's import object`);
      if (words(text, old) !== 1) throw new Error(`short-names: import ${old} is named elsewhere in the glue too`);
      text = text.replace(key, `\n        ${short}: function(`);
    }
  }
  return { wasm: renamed, glue: text };
}
