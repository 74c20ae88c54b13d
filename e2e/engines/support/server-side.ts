// The server's side of "sent exactly once, byte-identical": read from its
// media folder and its case API, never from what the phone says.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { StoredReport } from '../../fixtures/outbox';
import type { GreenWatchServer } from '../../fixtures/server';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The year case numbers are counted in: China Standard Time. */
export const caseYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

/**
 * Checks that the server holds exactly `reports` (as the phone stored them
 * before sending): each medium's SHA-256 equal to the phone's, case numbers
 * 1..n (a duplicate create would have taken a number), each case answering
 * to its receipt.
 */
export async function expectArrivedOnce(
  server: GreenWatchServer,
  reports: StoredReport[],
  cases: Map<string, string>,
): Promise<void> {
  const mediaRoot = join(server.dataDir, 'media', 'reports');
  const withMedia = reports.filter((r) => r.photos.length + r.clips.length > 0).map((r) => r.id);
  const onServer = existsSync(mediaRoot) ? readdirSync(mediaRoot) : [];
  expect(onServer.sort(), 'reports with media on the server').toEqual(withMedia.sort());
  for (const report of reports) {
    const expected = [...report.photos.map((p) => p.sha256), ...report.clips.map((c) => c.sha256)];
    const files = expected.length ? readdirSync(join(mediaRoot, report.id)).sort() : [];
    expect(files, `media files of ${report.id}`).toEqual(expected.map((_, i) => String(i)).sort());
    expected.forEach((hash, index) => {
      const stored = readFileSync(join(mediaRoot, report.id, String(index)));
      expect(sha256(stored), `SHA-256 of medium ${index} of ${report.id} on the server`).toBe(hash);
    });
  }
  const year = caseYear();
  expect([...cases.values()].sort(), 'case numbers').toEqual(
    reports.map((_, i) => `GW-${year}-${String(i + 1).padStart(6, '0')}`),
  );
  for (const report of reports) {
    const caseNumber = cases.get(report.id);
    const answer = await fetch(`${server.url}/api/v1/cases/${caseNumber}`, {
      headers: { 'x-receipt': report.receipt ?? '' },
    });
    expect(answer.status, `case ${caseNumber} answers to its receipt`).toBe(200);
    const timeline = await answer.json();
    expect(timeline.events[0].kind).toBe('received');
  }
}

/** The case number of each sent report, from the phone's stored sync machine. */
export function sentCases(machine: any): Map<string, string> {
  const cases = new Map<string, string>();
  for (const report of machine?.reports ?? []) {
    if (report.phase?.state === 'sent') cases.set(report.id, report.phase.case_number);
  }
  return cases;
}
