// Prints the median of each Lighthouse timing over the runs of each page
// (scripts/bench-lighthouse): node lighthouse-table.mjs DIR RUNS PAGE...
// reads DIR/PAGE-1.json … DIR/PAGE-RUNS.json. Exits 1 when a report lacks a
// metric (Lighthouse ran but could not measure it); never on a value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, runs, ...pages] = process.argv.slice(2);
const metrics = [
  ['interactive', 'TTI'],
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['speed-index', 'Speed Index'],
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

let missing = false;
const pad = (text, width) => String(text).padStart(width);
console.log(['page'.padEnd(12), ...metrics.map(([, label]) => pad(label, 12))].join(''));
for (const page of pages) {
  const reports = [];
  for (let run = 1; run <= Number(runs); run += 1) {
    reports.push(JSON.parse(readFileSync(join(dir, `${page}-${run}.json`), 'utf8')));
  }
  const cells = metrics.map(([id]) => {
    const values = reports.map((report) => report.audits[id]?.numericValue);
    if (values.some((value) => typeof value !== 'number')) {
      missing = true;
      console.error(`lighthouse-table: ${page}: no ${id} in some run (${reports.map((r) => r.runtimeError?.code ?? 'ok').join(', ')})`);
      return pad('-', 12);
    }
    return pad(Math.round(median(values)), 12);
  });
  console.log([page.padEnd(12), ...cells].join(''));
  const tti = reports.map((report) => Math.round(report.audits.interactive?.numericValue ?? NaN));
  console.log(`${''.padEnd(12)}TTI of each run: ${tti.join(', ')}`);
}
process.exit(missing ? 1 : 0);
