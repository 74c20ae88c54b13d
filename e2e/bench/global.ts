// Global setup of the benchmark run: forgets the last run's numbers (unless
// GW_BENCH_KEEP_RESULTS=1: scripts/bench runs the Firefox and WebKit photo
// benchmark first), and returns the teardown that prints this run's block
// once every benchmark is done.
import { BENCHMARKS, clearResults, readResults } from './results';

export default function globalSetup(): () => void {
  if (!process.env.GW_BENCH_KEEP_RESULTS) clearResults();
  return () => {
    const results = readResults();
    const lines = ['', '==== GreenWatch browser benchmarks (headless Chromium; the photo pipeline also in Firefox and WebKit) ===='];
    for (const { key, title } of BENCHMARKS) {
      lines.push(...(results.get(key) ?? [`${title}: not measured (the benchmark failed; see above)`]));
    }
    lines.push('');
    console.log(lines.join('\n'));
  };
}
