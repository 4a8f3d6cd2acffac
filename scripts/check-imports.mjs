// Checks the import rules of .dependency-cruiser.cjs over lib, functions and scripts (`npm run lint:imports`).
// dependency-cruiser's CLI refuses Node 20, which this machine and CI run; its API works there, so this calls it.
import { createRequire } from 'node:module';
import { cruise, format } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs');
const result = await cruise(['lib', 'functions', 'scripts'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true }, undefined, {
  tsConfig: extractTSConfig('tsconfig.json'),
});
const report = await format(result.output, { outputType: 'err' });
process.stdout.write(report.output);
process.exitCode = report.exitCode === 0 ? 0 : 1;
