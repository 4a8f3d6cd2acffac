// Stops the local stack started by global-setup.
import type { ChildProcess } from 'node:child_process';
import { stopStackProcess } from './local-stack-process';

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as Record<string, unknown>).__LOCAL_STACK__ as ChildProcess | undefined;
  if (child) await stopStackProcess(child);
}
