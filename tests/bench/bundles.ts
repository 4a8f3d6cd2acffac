// What each function ships and how long its handler module takes to load: `serverless package` into a folder
// of its own (its own esbuild work folder too, so a running local stack keeps its bundles), then per function the
// zip size and the time `node -e "require(handler)"` takes net of a bare `node -e 0` (medians of interleaved child
// processes with the function's own environment and NODE_OPTIONS), each against the issue 17 targets. The load is
// given as the child's CPU time (user + system), which a busy machine barely moves, and as wall time beside it.
// BENCH_PACKAGE_DIR measures an earlier package output as it is; BENCH_BASELINE_DIR measures one more in the
// same rounds and prints it beside (before/after under the same machine load). On a shared machine (load 10 and
// more on 2 cores) even CPU time moves by a third: the spread of the floor is printed to show it, and
// BENCH_LOAD_INSTRUCTIONS=1 adds each load's instruction count (valgrind's callgrind, one run each, net of the
// floor's), which the machine's load does not move (two runs of one handler differ by under 0.5%).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNumber, median, percentile, type Benchmark, type Figure } from './benchmark';

const ROOT = join(__dirname, '..', '..');
const ZIP_TARGET_KB = 300;
const LOAD_TARGET_MS = 100;

type Template = { Resources: Record<string, { Type: string; Properties: any }> };
type Bundle = { name: string; zipKb: number; pagesKb: number; dir: string; file: string; env: Record<string, string> };

/** Compressed KB of the zip's entries under web/dist (the built pages the web function serves, not code), from its central directory. */
function pagesKb(file: string): number {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let bytes = 0;
  for (let at = zip.readUInt32LE(end + 16), left = zip.readUInt16LE(end + 10); left > 0; left -= 1) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength).startsWith('web/dist/')) bytes += zip.readUInt32LE(at + 20) + 30 + nameLength;
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return bytes / 1024;
}

/** `serverless package` as the packaging test runs it: its own output and esbuild work folder, no credentials. */
function packageInto(outDir: string): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'bench', '--package', outDir], {
    cwd: ROOT,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'eu-central-1',
      SYNC_QUEUE_URL: '',
      DYNAMODB_ENDPOINT: '',
      SQS_ENDPOINT: '',
      ESBUILD_WORK_FOLDER: `.esbuild-bench-${process.pid}`,
    },
    stdio: 'pipe',
  });
}

/** The environment a function gets on AWS, with stand-ins for CloudFormation references and the secrets. */
function lambdaEnvironment(variables: Record<string, unknown>, dir: string, name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) env[key] = typeof value === 'string' ? value : `https://sqs.eu-central-1.amazonaws.com/000000000000/${key.toLowerCase()}`;
  return {
    ...env,
    PATH: process.env.PATH ?? '',
    AUTH_SECRET: 'bench-secret-bench-secret-bench-secret',
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    LAMBDA_TASK_ROOT: dir,
  };
}

/** Unzips each function's zip next to it and finds its handler file (.js, .cjs or .mjs). */
function readBundles(outDir: string): Bundle[] {
  const template: Template = JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  const bundles: Bundle[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties;
    const zipName = String(props.Code.S3Key).split('/').pop()!;
    const name = zipName.replace(/\.zip$/, '');
    const dir = join(outDir, 'unzipped', name);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      execFileSync('unzip', ['-q', '-o', join(outDir, zipName), '-d', dir]);
    }
    const base = String(props.Handler).replace(/\.[^.]+$/, '');
    const file = ['.js', '.cjs', '.mjs'].map((ext) => join(dir, base + ext)).find((candidate) => existsSync(candidate));
    if (!file) throw new Error(`${name}: no file for handler ${props.Handler}`);
    // The built pages (web/dist, present once `npm run build` or the local stack ran) are counted apart: the target is the code's.
    const pages = pagesKb(join(outDir, zipName));
    bundles.push({ name, zipKb: statSync(join(outDir, zipName)).size / 1024 - pages, pagesKb: pages, dir, file, env: lambdaEnvironment(props.Environment?.Variables ?? {}, dir, name) });
  }
  return bundles.sort((a, b) => a.name.localeCompare(b.name));
}

/** The child's own CPU time (user + system, every thread) since it started, printed as its last act. */
const REPORT_CPU = `const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000)); process.exit(0);`;

/** The child loads the handler as Lambda's runtime would (require, or import for .mjs) and checks the export. */
function loaderScript(file: string): string {
  const check = `(m) => { if (typeof m.handler !== 'function') process.exit(3); ${REPORT_CPU} }`;
  return file.endsWith('.mjs')
    ? `import(${JSON.stringify(`file://${file}`)}).then(${check}, (e) => { console.error(e); process.exit(2); })`
    : `(${check})(require(${JSON.stringify(file)}))`;
}

type Sample = { wallMs: number; cpuMs: number };

/** Wall time and CPU time of one child process, in ms; throws when it fails. */
function runChild(args: string[], env: Record<string, string>, cwd: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, cwd, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { wallMs, cpuMs: Number(result.stdout) };
}

/** Instructions (millions) one child executes, every thread, counted by valgrind's callgrind (20 to 60 times slower). */
function countInstructions(args: string[], env: Record<string, string>, cwd: string): number {
  const out = join(tmpdir(), `calendar-hub-callgrind-${process.pid}`);
  const result = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, '--smc-check=all-non-file', process.execPath, ...args], { env, cwd, encoding: 'utf8' });
  rmSync(out, { force: true });
  const collected = /Collected\s*:\s*(\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 || !collected) throw new Error(`valgrind ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(collected[1]) / 1e6;
}

function prepare(dir: string | undefined, log: (line: string) => void): Bundle[] {
  if (dir && existsSync(join(dir, 'cloudformation-template-update-stack.json'))) {
    log(`measuring the package in ${dir} as it is`);
    return readBundles(dir);
  }
  const outDir = dir ?? mkdtempSync(join(tmpdir(), 'calendar-hub-bundles-'));
  log(`serverless package --stage bench --package ${outDir} (slow on a loaded machine)`);
  try {
    packageInto(outDir);
  } finally {
    rmSync(join(ROOT, `.esbuild-bench-${process.pid}`), { recursive: true, force: true });
  }
  return readBundles(outDir);
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);

export const bundles: Benchmark = {
  name: 'bundles',
  description: `zip size per function (target < ${ZIP_TARGET_KB} KB) and handler module load net of \`node -e 0\` (target < ${LOAD_TARGET_MS} ms)`,
  needsStack: false,
  async run({ log }) {
    const rounds = envNumber('BENCH_LOAD_RUNS', 15);
    const current = prepare(process.env.BENCH_PACKAGE_DIR, log);
    const baseline = process.env.BENCH_BASELINE_DIR ? prepare(process.env.BENCH_BASELINE_DIR, log) : [];
    const loadBefore = loadavg();
    const bare: Sample[] = [];
    const samples = new Map<Bundle, Sample[]>([...current, ...baseline].map((bundle) => [bundle, []]));
    // The floor runs the same script minus the require: what is left is the handler's module load.
    const bareScript = REPORT_CPU;
    // Interleaved rounds, so that a burst of load from elsewhere hits every function and the floor alike.
    for (let round = 0; round < rounds; round++) {
      bare.push(runChild(['-e', bareScript], { PATH: process.env.PATH ?? '' }, tmpdir()));
      for (const [bundle, list] of samples) {
        const nodeOptions = (bundle.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
        // NODE_OPTIONS is passed as flags so that the floor (`node -e 0`) runs without them: their cost is the function's.
        list.push(runChild([...nodeOptions, '-e', loaderScript(bundle.file)], { ...bundle.env, NODE_OPTIONS: '' }, bundle.dir));
      }
      log(`round ${round + 1}/${rounds}`);
    }
    const loadAfter = loadavg();
    const instructions = new Map<Bundle | 'floor', number>();
    if (process.env.BENCH_LOAD_INSTRUCTIONS === '1') {
      instructions.set('floor', countInstructions(['-e', bareScript], { PATH: process.env.PATH ?? '' }, tmpdir()));
      for (const bundle of samples.keys()) {
        const nodeOptions = (bundle.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
        instructions.set(bundle, countInstructions([...nodeOptions, '-e', loaderScript(bundle.file)], { ...bundle.env, NODE_OPTIONS: '' }, bundle.dir) - instructions.get('floor')!);
        log(`instructions: ${bundle.name}`);
      }
    }
    const counted = instructions.size > 0;
    const instr = (bundle: Bundle | undefined) => (bundle && instructions.has(bundle) ? fixed(instructions.get(bundle)!) : '-');
    const floor = { wall: median(bare.map((s) => s.wallMs)), cpu: median(bare.map((s) => s.cpuMs)) };
    const wall = (bundle: Bundle) => median(samples.get(bundle)!.map((s) => s.wallMs)) - floor.wall;
    const cpu = (bundle: Bundle) => median(samples.get(bundle)!.map((s) => s.cpuMs)) - floor.cpu;
    const before = new Map(baseline.map((bundle) => [bundle.name, bundle]));

    const header = [
      'function', 'zip KB', `/${ZIP_TARGET_KB}`, 'load cpu ms', `/${LOAD_TARGET_MS}`, 'load wall ms', ...(counted ? ['M instr'] : []),
      ...(baseline.length ? ['| before: zip KB', 'cpu ms', 'wall ms', ...(counted ? ['M instr'] : [])] : []),
    ];
    const rows = current.map((bundle) => {
      const old = before.get(bundle.name);
      return [
        bundle.name,
        fixed(bundle.zipKb),
        fixed(bundle.zipKb / ZIP_TARGET_KB, 2),
        fixed(cpu(bundle)),
        fixed(cpu(bundle) / LOAD_TARGET_MS, 2),
        fixed(wall(bundle)),
        ...(counted ? [instr(bundle)] : []),
        ...(baseline.length ? [old ? fixed(old.zipKb) : '-', old ? fixed(cpu(old)) : '-', old ? fixed(wall(old)) : '-', ...(counted ? [instr(old)] : [])] : []),
      ];
    });
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    for (const row of [header, ...rows]) log(row.map((cell, column) => (column ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  '));

    const figures: Figure[] = [
      { label: 'node -e 0 (the floor): cpu / wall, medians', value: floor.cpu, unit: `/ ${fixed(floor.wall)} ms (${rounds} runs)` },
      {
        label: 'node -e 0 cpu spread: 25th / 75th percentile',
        value: percentile(bare.map((s) => s.cpuMs), 25),
        unit: `/ ${fixed(percentile(bare.map((s) => s.cpuMs), 75))} ms (a wide spread: a loaded machine, compare with BENCH_BASELINE_DIR)`,
      },
      { label: 'load average (1 min) at start / end', value: loadBefore[0], unit: `/ ${fixed(loadAfter[0], 1)}` },
      ...(counted ? [{ label: 'node -e 0 (the floor): instructions', value: instructions.get('floor')!, unit: 'million (callgrind)' }] : []),
    ];
    for (const bundle of current) {
      const pages = bundle.pagesKb ? ` (+ ${fixed(bundle.pagesKb)} KB of built pages, web/dist)` : '';
      figures.push({ label: `${bundle.name} zip`, value: bundle.zipKb, unit: `KB = ${fixed(bundle.zipKb / ZIP_TARGET_KB, 2)}x target ${ZIP_TARGET_KB} KB${pages}` });
      const counts = instructions.has(bundle) ? `; ${instr(bundle)} million instructions` : '';
      figures.push({ label: `${bundle.name} module load (cpu)`, value: cpu(bundle), unit: `ms = ${fixed(cpu(bundle) / LOAD_TARGET_MS, 2)}x target ${LOAD_TARGET_MS} ms; wall ${fixed(wall(bundle))} ms${counts}` });
    }
    figures.push({ label: 'largest zip / target', value: Math.max(...current.map((bundle) => bundle.zipKb)) / ZIP_TARGET_KB, unit: 'x' });
    figures.push({ label: 'slowest module load (cpu) / target', value: Math.max(...current.map(cpu)) / LOAD_TARGET_MS, unit: 'x' });
    return {
      figures,
      // Every handler loaded and exported a function (a child that failed threw above): the targets stay figures.
      checks: [{ label: `every handler module loads (${current.length} functions)`, ok: current.length > 0 }],
    };
  },
};
