// The map's wasm (scripts/bench-size): node same-but-names.mjs NAMED SHIPPED
// OUT gives NAMED (a build with a name section) the short import and export
// names the build gives the shipped wasm (scripts/build-tools/short-names.mjs),
// writes it to OUT, and checks that OUT is byte for byte SHIPPED once its
// custom "name" section is cut out; exits 1 with the two sizes when not.
import { readFileSync, writeFileSync } from 'node:fs';
import { shortWasmNames } from '../build-tools/short-names.mjs';

const [namedPath, shippedPath, outPath] = process.argv.slice(2);
const named = shortWasmNames(readFileSync(namedPath)).wasm;
writeFileSync(outPath, named);
const shipped = readFileSync(shippedPath);

// The module without its custom sections called "name".
function withoutNames(bytes) {
  const kept = [bytes.subarray(0, 8)];
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at];
      at += 1;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at];
    at += 1;
    const length = leb();
    const body = at;
    let name = '';
    if (id === 0) {
      const nameLength = leb();
      name = bytes.subarray(at, at + nameLength).toString('utf8');
    }
    at = body + length;
    if (!(id === 0 && name === 'name')) kept.push(bytes.subarray(start, at));
  }
  return Buffer.concat(kept);
}

const stripped = withoutNames(named);
if (!stripped.equals(shipped)) {
  console.error(`same-but-names: ${namedPath} shortened and without names is ${stripped.length} bytes, ${shippedPath} ${shipped.length}: they differ`);
  process.exit(1);
}
