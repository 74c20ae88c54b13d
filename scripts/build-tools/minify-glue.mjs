// Minifies the wasm-bindgen JS glue of a trunk build in place and updates
// its Subresource Integrity hash in index.html (trunk's own `minify` leaves
// the glue as wasm-bindgen wrote it), and minifies sw.js. Before that, the
// names linking the glue and the wasm are shortened in both (short-names.mjs)
// and the wasm's integrity hash is updated too. Run by scripts/sw-precache.sh,
// the post_build hook, in the staging folder: part of the 200 KiB first-load
// budget (scripts/bench).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { shortNames } from './short-names.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: minify-glue.mjs <staging folder>');
// trunk names the glue `<binary>-<hash>.js` (greenwatch-app, staff); the
// hash is a 64-bit number in hex without leading zeros (15 digits happen).
const glue = readdirSync(dir).filter((name) => /^[a-z0-9_]+(-[a-z0-9_]+)*-[0-9a-f]{1,16}\.js$/.test(name));
if (glue.length !== 1) throw new Error(`expected one JS glue file in ${dir}, found ${glue.length}: ${readdirSync(dir).join(', ')}`);
const file = join(dir, glue[0]);
const wasmName = glue[0].replace(/\.js$/, '_bg.wasm');
const wasmFile = join(dir, wasmName);
if (!existsSync(wasmFile)) throw new Error(`no ${wasmName} beside ${glue[0]}`);
const short = shortNames(readFileSync(wasmFile), readFileSync(file, 'utf8'));
writeFileSync(wasmFile, short.wasm);
const { code } = transformSync(short.glue, { minify: true, format: 'esm', target: 'es2020' });
writeFileSync(file, code);

// index.html's integrity attribute of the link to `name` (trunk writes one
// for the glue's modulepreload and the wasm's preload) set for `content`.
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const setIntegrity = (name, content) => {
  const integrity = 'sha384-' + createHash('sha384').update(content).digest('base64');
  const link = new RegExp(`(href=["']?/(?:[a-z]+/)?${name.replace(/\./g, '\\.')}["']?[^>]*?integrity=["']?)sha384-[A-Za-z0-9+/=]+`);
  if (!link.test(html)) throw new Error(`index.html has no integrity attribute for ${name}`);
  html = html.replace(link, `$1${integrity}`);
};
setIntegrity(glue[0], code);
setIntegrity(wasmName, short.wasm);
writeFileSync(indexPath, html);
console.log(`minify-glue: ${glue[0]} and ${wasmName}: names shortened, glue minified, integrity updated`);

// The citizen build's service worker template too (its comments are most of
// its bytes): before sw-precache.sh fills in its placeholders, which stay as
// they are (a string and an undeclared name).
const worker = join(dir, 'sw.js');
if (existsSync(worker)) {
  const { code: minified } = transformSync(readFileSync(worker, 'utf8'), { minify: true, target: 'es2020' });
  writeFileSync(worker, minified);
  console.log('minify-glue: sw.js minified');
}
