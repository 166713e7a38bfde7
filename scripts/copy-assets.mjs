// The build's second half: tsc emits the modules; the files they load at run time (the python
// worker, the vDAG placeholder) are copied beside them.
import fs from 'node:fs';
import path from 'node:path';

for (const entry of fs.readdirSync('src', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = path.join('dist', path.relative('src', from));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
