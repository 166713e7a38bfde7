/** File I/O for the CLI: entity files, pack files and scenario directories. */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { GovernorError } from '../errors/index.js';
import type { PackSource } from './pack-source.js';

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new GovernorError(
      'not_found',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { field: file },
    );
  }
}

/** A YAML or JSON file's value; JSON Lines when the name ends in .jsonl. */
export function readDataFile(file: string): unknown {
  const text = read(file);
  try {
    if (file.endsWith('.jsonl'))
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l));
    return file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new GovernorError('bad_request', `${file}: ${(err as Error).message.split('\n')[0]}`, {
      field: file,
    });
  }
}

/** Entities from a file: a list, or `{entities: [...]}`. */
export function readEntitiesFile(file: string): unknown {
  const v = readDataFile(file);
  return Array.isArray(v) ? v : ((v as { entities?: unknown } | null)?.entities ?? v);
}

export const readPackFile = (file: string): PackSource => ({ name: file, text: read(file) });

export interface ScenarioFiles {
  records: unknown;
  expected: unknown | null;
}

/** A scenario directory in the original's layout, or a single telemetry file. */
export function readScenario(target: string): ScenarioFiles {
  if (!fs.existsSync(target))
    throw new GovernorError('not_found', `no such file or directory: ${target}`, { field: target });
  if (!fs.statSync(target).isDirectory()) return { records: readDataFile(target), expected: null };
  const input = ['telemetry.yaml', 'telemetry.yml', 'telemetry.json']
    .map((f) => path.join(target, 'inputs', f))
    .find((f) => fs.existsSync(f));
  if (!input)
    throw new GovernorError('not_found', `${target}: no inputs/telemetry.yaml or inputs/telemetry.json`, {
      field: target,
    });
  const exp = path.join(target, 'expected', 'recommendations.yaml');
  return { records: readDataFile(input), expected: fs.existsSync(exp) ? readDataFile(exp) : null };
}
