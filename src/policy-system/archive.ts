import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { badRequest, GovernorError } from '../errors/index.js';

const run = promisify(execFile);
const MAX_ARCHIVE_BYTES = 32 * 1024 * 1024;

/**
 * Fetches a policy archive (`.zip`, `.tar.gz`, `.tgz`, `.tar.xz`, `.tar`) and unpacks it into a new
 * temporary directory with the system `unzip`/`tar`. The original packs a `code/` folder: when the
 * archive holds a single top-level directory, that directory is the package.
 */
export async function fetchArchive(url: string): Promise<{ dir: string; dispose: () => Promise<void> }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new GovernorError('upstream_failed', `cannot fetch ${url}: ${(err as Error).message}`, {
      field: 'code',
      url,
    });
  }
  if (!res.ok)
    throw new GovernorError('upstream_failed', `fetching ${url} answered ${res.status}`, {
      field: 'code',
      url,
    });
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_ARCHIVE_BYTES)
    throw new GovernorError('payload_too_large', `archive at ${url} is over 32 MB`);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'governor-archive-'));
  const kind = archiveKind(new URL(url).pathname, body);
  const file = path.join(work, kind === 'zip' ? 'package.zip' : 'package.tar');
  await fs.writeFile(file, body);
  const out = path.join(work, 'out');
  await fs.mkdir(out);
  try {
    // Both tools refuse absolute paths and `..` members by default.
    if (kind === 'zip') await run('unzip', ['-q', '-o', file, '-d', out]);
    else await run('tar', ['-xf', file, '-C', out, '--no-same-owner', '--no-same-permissions']);
  } catch (err) {
    await fs.rm(work, { recursive: true, force: true });
    throw badRequest('code', `cannot unpack ${url}: ${(err as Error).message.split('\n')[0]}`);
  }
  const dispose = () => fs.rm(work, { recursive: true, force: true });
  const entries = (await fs.readdir(out, { withFileTypes: true })).filter(
    (e) => !e.name.startsWith('__MACOSX'),
  );
  const single = entries.length === 1 && entries[0]!.isDirectory();
  return { dir: single ? path.join(out, entries[0]!.name) : out, dispose };
}

function archiveKind(pathname: string, body: Buffer): 'zip' | 'tar' {
  if (pathname.endsWith('.zip') || body.subarray(0, 2).toString('latin1') === 'PK') return 'zip';
  return 'tar';
}
