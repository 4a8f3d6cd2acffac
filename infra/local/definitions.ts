// Reads the CloudFormation resources that serverless.yml deploys (infra/resources/*.yml) and turns them into
// local create calls, resolving the few Serverless variables they use. One source of truth for table and queues.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');

type Resource = { Type: string; Properties: Record<string, unknown> };

function readYaml(relativePath: string): Record<string, unknown> {
  return parse(readFileSync(join(ROOT, relativePath), 'utf8')) as Record<string, unknown>;
}

/** Resolves ${self:custom.x}, ${sls:stage} and ${env:X, 'default'} the way `serverless` would for a local stage. */
export function createResolver(stage: string) {
  const custom = (readYaml('serverless.yml').custom ?? {}) as Record<string, unknown>;
  const resolveString = (text: string): unknown => {
    const whole = text.match(/^\$\{([^{}]+)\}$/);
    if (whole) return resolveVariable(whole[1]);
    return text.replace(/\$\{([^{}]+)\}/g, (_, expression: string) => String(resolveVariable(expression)));
  };
  const resolveVariable = (expression: string): unknown => {
    const [source, ...fallbacks] = expression.split(',').map((part) => part.trim());
    if (source === 'sls:stage') return stage;
    if (source.startsWith('self:custom.')) return resolveValue(custom[source.slice('self:custom.'.length)]);
    if (source.startsWith('env:')) {
      const fromEnv = process.env[source.slice(4)];
      if (fromEnv) return fromEnv;
      if (fallbacks.length) return fallbacks[0].replace(/^'(.*)'$/, '$1');
    }
    throw new Error(`Cannot resolve \${${expression}} locally`);
  };
  const resolveValue = (value: unknown): unknown => {
    if (typeof value === 'string') return resolveString(value);
    if (Array.isArray(value)) return value.map(resolveValue);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v)]));
    return value;
  };
  return resolveValue;
}

export function readResources(relativePath: string): Record<string, Resource> {
  return (readYaml(relativePath).Resources ?? {}) as Record<string, Resource>;
}

export const TABLE_FILE = 'infra/resources/table.yml';
export const QUEUES_FILE = 'infra/resources/queues.yml';
