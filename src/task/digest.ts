// A content digest of a task's environment/ folder: the build tag, so parallel and
// repeated runs of the same environment share one image and a changed one never reuses
// a stale image (two builds of one tag at once race).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export async function digestDir(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(path.join(root, rel), { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const e of entries) {
      const relPath = path.posix.join(rel, e.name);
      const full = path.join(root, relPath);
      const st = await stat(full);
      if (st.isDirectory()) {
        hash.update(`d ${relPath}\n`);
        await walk(relPath);
      } else {
        // The executable bit changes what a build produces; other mode bits do not.
        hash.update(`f ${relPath} ${st.mode & 0o111 ? 'x' : '-'} ${st.size}\n`);
        hash.update(await readFile(full));
      }
    }
  };
  await walk('');
  return hash.digest('hex');
}
