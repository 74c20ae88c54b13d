// Where the citizen app's wasm bytes go (scripts/bench-size): reads
// `twiggy top -f json` of a build that kept its function names and prints
// the 20 largest contributors by crate and by function.
//
//   node wasm-map.mjs TWIGGY_JSON [COUNT]
//
// Sizes are raw bytes of the wasm as shipped (the name section itself is
// left out). Brotli shrinks the code fairly evenly, so a crate's share of
// the raw bytes is close to its share of the brotli bytes.
//
// A function counts for the crate of the type it belongs to: `<A as B>::f`
// for A's crate (B's when A is a standard or primitive type: `<str as
// core::fmt::Display>::fmt` is core's), drop glue `drop_in_place<T>` for T's,
// any other path for its first segment; core, alloc and std are split by
// module (core::fmt, alloc::raw_vec…), fmt being where size usually hides.
// wasm-opt merges identical functions under one of their names, and LLVM
// inlines freely: a function's bytes may be code from its callees, and one
// name may stand for several functions (twiggy paths FILE NAME shows what a
// function calls and what calls it).
import { readFileSync } from 'node:fs';

const [file, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 20);
const items = JSON.parse(readFileSync(file, 'utf8'));

// The name section and its subsections: absent from the shipped wasm.
const isNameSection = (name) =>
  /^"[a-z]+ names?" subsection$/.test(name) || /^custom section 'name'/.test(name);

const STD = new Set(['core', 'alloc', 'std']);
const PRIMITIVE = /^(&|&mut |\*const |\*mut |\[|\(|dyn |str\b|bool\b|char\b|[iuf](8|16|32|64|128|size)\b)/;

// The path of the type or function a demangled name is about.
function subject(name) {
  // rustc's crate disambiguators (core[c5930c85a12de822]) and symbol hashes
  let n = name.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '').trim();
  // drop glue: the dropped type's crate
  const drop = /^core::ptr::drop_in_place<(.*)>$/.exec(n);
  if (drop) return subject(drop[1]);
  if (n.startsWith('<')) {
    // <A as B>::f, or <A>::f
    let depth = 0;
    let end = -1;
    let as = -1;
    for (let i = 0; i < n.length; i += 1) {
      const c = n[i];
      if (c === '<') depth += 1;
      else if (c === '>') {
        depth -= 1;
        if (depth === 0) {
          end = i;
          break;
        }
      } else if (depth === 1 && n.startsWith(' as ', i) && as < 0) as = i;
    }
    if (end > 0) {
      const self = (as > 0 ? n.slice(1, as) : n.slice(1, end)).replace(/^(&mut |&|\*const |\*mut |dyn )+/, '');
      const trait = as > 0 ? n.slice(as + 4, end) : '';
      const selfPath = subject(self);
      if (trait && (PRIMITIVE.test(self) || STD.has(selfPath.split('::')[0]) || !selfPath.includes('::'))) {
        return subject(trait);
      }
      return selfPath;
    }
  }
  return n;
}

function crateOf(name) {
  if (isNameSection(name)) return null;
  if (/^data segment /.test(name)) return '(data segments: strings, tables, constants)';
  if (/^import /.test(name)) return '(imports: names of the JS functions called)';
  if (/^export /.test(name)) return '(exports)';
  if (/^intounderlying/.test(name)) return 'wasm_streams (JS classes exported for server_fn, via leptos)';
  if (/^(__wbg_|__wbindgen|__externref)|externref shim$/.test(name)) return 'wasm-bindgen (generated shims)';
  const path = subject(name);
  const segments = path.split('::').map((s) => s.replace(/<.*$/, ''));
  if (segments.length < 2) return '(wasm structure: types, tables, headers, unnamed)';
  if (STD.has(segments[0])) return `${segments[0]}::${segments[1]}`;
  return segments[0];
}

const shipped = items.filter((item) => !isNameSection(item.name));
const total = shipped.reduce((sum, item) => sum + item.shallow_size, 0);
const percent = (bytes) => `${((100 * bytes) / total).toFixed(1)}%`;

const crates = new Map();
for (const item of shipped) {
  const crate = crateOf(item.name);
  crates.set(crate, (crates.get(crate) ?? 0) + item.shallow_size);
}

console.log(`\nWasm map: ${total} bytes of code and data (raw, as shipped, without names)`);
console.log(`\nThe ${count} largest contributors by crate (raw bytes)`);
for (const [crate, bytes] of [...crates].sort((a, b) => b[1] - a[1]).slice(0, count)) {
  console.log(`${String(bytes).padStart(9)} ${percent(bytes).padStart(6)}  ${crate}`);
}
console.log(`\nThe ${count} largest functions and data segments (raw bytes)`);
for (const item of [...shipped].sort((a, b) => b.shallow_size - a.shallow_size).slice(0, count)) {
  const name = item.name.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');
  const shown = name.length > 110 ? `${name.slice(0, 107)}...` : name;
  console.log(`${String(item.shallow_size).padStart(9)} ${percent(item.shallow_size).padStart(6)}  ${shown}`);
}
