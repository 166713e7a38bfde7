import fs from 'node:fs';

/** Reaches for the file system: the sandbox refuses to load it. */
export default class ReadsFiles {
  eval() {
    return { passwd: fs.readFileSync('/etc/passwd', 'utf8') };
  }
}
