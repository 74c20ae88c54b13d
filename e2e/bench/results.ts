// Each benchmark records its summary line here; bench/global.ts prints them
// all in one block when the run ends. A file, not a variable: Playwright
// starts a new worker after a failed test, and the lines measured before it
// must still be printed.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Outside e2e/test-results/, which every run of the e2e suite empties (one
// running meanwhile would drop the lines).
export const RESULTS_FILE = join(__dirname, '..', '..', 'target', 'e2e-bench', 'summary.jsonl');

/** The benchmarks, in the order the final block lists them. */
export const BENCHMARKS = [
  { key: 'photo', title: 'photo pipeline' },
  { key: 'photoFirefox', title: 'photo pipeline in Firefox' },
  { key: 'photoWebkit', title: 'photo pipeline in WebKit' },
  { key: 'queue', title: 'queue with 9 photos' },
  { key: 'heap', title: 'peak memory processing 9 photos' },
  { key: 'sync', title: 'sync of 50 queued reports, My reports on screen' },
  { key: 'syncForm', title: 'sync of 50 queued reports, the report form on screen' },
] as const;

export type BenchmarkKey = (typeof BENCHMARKS)[number]['key'];

export function record(key: BenchmarkKey, lines: string[]): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, JSON.stringify({ key, lines }) + '\n');
}

export function clearResults(): void {
  rmSync(RESULTS_FILE, { force: true });
}

export function readResults(): Map<BenchmarkKey, string[]> {
  const results = new Map<BenchmarkKey, string[]>();
  if (!existsSync(RESULTS_FILE)) return results;
  for (const line of readFileSync(RESULTS_FILE, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { key: BenchmarkKey; lines: string[] };
    results.set(entry.key, entry.lines);
  }
  return results;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
