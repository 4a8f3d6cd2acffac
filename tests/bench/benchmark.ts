// What a benchmark module gives the runner (tests/bench/run.ts), and small measuring helpers.

export type Figure = { label: string; value: number; unit: string };

export type BenchmarkResult = {
  figures: Figure[];
  /** Checks that must hold (e.g. no double booking); any false one fails the run. */
  checks?: Array<{ label: string; ok: boolean }>;
};

export type BenchmarkContext = {
  /** Base URL of the local stack when the benchmark asked for it (API_BASE_URL, TABLE_NAME ... are in process.env too). */
  baseUrl?: string;
  log(line: string): void;
};

export type Benchmark = {
  name: string;
  description: string;
  /** Start DynamoDB Local, the SQS emulator and serverless offline first. */
  needsStack: boolean;
  run(context: BenchmarkContext): Promise<BenchmarkResult>;
};

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Milliseconds one call takes, with sub-millisecond resolution. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

export function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** One JSON request to the local stack that gives up after `timeoutMs`: status 0 means no answer came. */
export async function request(
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 60_000,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(`${process.env.API_BASE_URL}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: 0, body: undefined };
  }
}
