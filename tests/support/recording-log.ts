// A Log port that keeps its lines, for tests that assert what a use case logged.
import type { Log } from '../../lib/kernel/log';

export type LogLine = { level: string; message: string; attributes: Record<string, unknown> };

export function recordingLog(): Log & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, attributes: Record<string, unknown>) => void lines.push({ level, message, attributes });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
