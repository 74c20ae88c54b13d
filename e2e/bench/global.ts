// Global setup of the benchmark run: forgets the last run's numbers, and
// returns the teardown that prints this run's block once every benchmark is done.
import { BENCHMARKS, clearResults, readResults } from './results';

export default function globalSetup(): () => void {
  clearResults();
  return () => {
    const results = readResults();
    const lines = ['', '==== GreenWatch browser benchmarks (headless Chromium) ===='];
    for (const { key, title } of BENCHMARKS) {
      lines.push(...(results.get(key) ?? [`${title}: not measured (the benchmark failed; see above)`]));
    }
    lines.push('');
    console.log(lines.join('\n'));
  };
}
