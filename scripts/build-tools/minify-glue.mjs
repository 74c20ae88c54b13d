// Minifies the wasm-bindgen JS glue of a trunk build in place and updates
// its Subresource Integrity hash in index.html (trunk's own `minify` leaves
// the glue as wasm-bindgen wrote it), and minifies sw.js. Run by scripts/sw-precache.sh, the
// post_build hook, in the staging folder: part of the 200 KiB first-load
// budget (scripts/bench).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const dir = process.argv[2];
if (!dir) throw new Error('usage: minify-glue.mjs <staging folder>');
// trunk names the glue `<binary>-<hash>.js` (greenwatch-app, staff); the
// hash is a 64-bit number in hex without leading zeros (15 digits happen).
const glue = readdirSync(dir).filter((name) => /^[a-z0-9_]+(-[a-z0-9_]+)*-[0-9a-f]{1,16}\.js$/.test(name));
if (glue.length !== 1) throw new Error(`expected one JS glue file in ${dir}, found ${glue.length}: ${readdirSync(dir).join(', ')}`);
const file = join(dir, glue[0]);
const { code } = transformSync(readFileSync(file, 'utf8'), { minify: true, format: 'esm', target: 'es2020' });
writeFileSync(file, code);

const integrity = 'sha384-' + createHash('sha384').update(code).digest('base64');
const indexPath = join(dir, 'index.html');
const html = readFileSync(indexPath, 'utf8');
const link = new RegExp(`(href=["']?/(?:[a-z]+/)?${glue[0].replace('.', '\\.')}["']?[^>]*?integrity=["']?)sha384-[A-Za-z0-9+/=]+`);
if (!link.test(html)) throw new Error(`index.html has no integrity attribute for ${glue[0]}`);
writeFileSync(indexPath, html.replace(link, `$1${integrity}`));
console.log(`minify-glue: ${glue[0]} minified, integrity updated`);

// The citizen build's service worker template too (its comments are most of
// its bytes): before sw-precache.sh fills in its placeholders, which stay as
// they are (a string and an undeclared name).
const worker = join(dir, 'sw.js');
if (existsSync(worker)) {
  const { code: minified } = transformSync(readFileSync(worker, 'utf8'), { minify: true, target: 'es2020' });
  writeFileSync(worker, minified);
  console.log('minify-glue: sw.js minified');
}
