// `npm run bench [-- name ...]`: runs the benchmark modules listed below (all, or those named), starting the
// local stack once (scripts/start.ts --in-memory --ready-json, as the test setup does) when one needs it.
// Add a benchmark by writing a module that exports a `Benchmark` and listing it here.
import { startStackProcess, stopStackProcess } from '../support/local-stack-process';
import type { Benchmark, BenchmarkResult } from './benchmark';
import { bookingContention } from './booking-contention';
import { bookingLatency } from './booking-latency';
import { bundles } from './bundles';
import { freeTime } from './free-time';
import { slotComputation } from './slot-computation';
import { googleSync } from './google-sync';
import { googleSyncApi } from './google-sync-api';
import { listing } from './listing';
import { victimDay } from './victim-day';
import { webhook } from './webhook';
import { rateLimit } from './rate-limit';
import { meetingMail } from './meeting-mail';

const BENCHMARKS: Benchmark[] = [bookingContention, bookingLatency, slotComputation, googleSync, googleSyncApi, freeTime, webhook, victimDay, listing, rateLimit, meetingMail, bundles];

// The benchmarks send bursts from one address to one link or channel: limits they would hit are raised, so that
// they measure what they measure (the limit check stays in every path, counted as usual).
const BENCH_LIMITS = {
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ADDRESS: '1000000/3600',
  RATE_LIMIT_SIGN_UPS_PER_ADDRESS: '1000000/3600',
  RATE_LIMIT_BOOKINGS_PER_ADDRESS: '1000000/3600',
  RATE_LIMIT_BOOKINGS_PER_LINK: '1000000/3600',
  RATE_LIMIT_NOTIFICATIONS_PER_CHANNEL: '1000000/3600',
};

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toPrecision(3);
}

function print(name: string, result: BenchmarkResult): void {
  const width = Math.max(...result.figures.map((figure) => figure.label.length), ...(result.checks ?? []).map((check) => check.label.length));
  console.log(`\n${name}`);
  for (const figure of result.figures) console.log(`  ${figure.label.padEnd(width)}  ${format(figure.value).padStart(10)} ${figure.unit}`);
  for (const check of result.checks ?? []) console.log(`  ${check.label.padEnd(width)}  ${(check.ok ? 'ok' : 'FAILED').padStart(10)}`);
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const selected = names.length ? BENCHMARKS.filter((benchmark) => names.includes(benchmark.name)) : BENCHMARKS;
  const stack = selected.some((benchmark) => benchmark.needsStack) ? await startStackProcess(BENCH_LIMITS) : undefined;
  let failed = false;
  try {
    for (const benchmark of selected) {
      console.log(`\n== ${benchmark.name}: ${benchmark.description}`);
      const result = await benchmark.run({ baseUrl: stack?.baseUrl, log: (line) => console.log(`  . ${line}`) });
      print(benchmark.name, result);
      if (result.checks?.some((check) => !check.ok)) failed = true;
    }
  } finally {
    if (stack) await stopStackProcess(stack.child);
  }
  if (failed) {
    console.error('\nA benchmark check failed.');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
