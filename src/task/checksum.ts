// Harbor's task checksum: `task_checksum = dirhash(task_dir, "sha256")`, written to
// result.json so a trial record says which version of a task it ran. It follows the
// Dirhash standard (https://github.com/andhus/dirhash) with the default options of the
// Python `dirhash` package 0.2.x (https://github.com/andhus/dirhash-python) and its
// `scantree` walker: every file matched, linked files and folders followed, folders
// with no file below them left out, entry properties "data" and "name", cyclic links an
// error. A folder's hash is the sha256 hex of its entries' descriptors, sorted in
// Python's string order (code points) and joined by "\0\0"; a descriptor is the sorted
// properties joined by "\0": `data:<sha256 of the bytes>\0name:<name>` for a file,
// `dirhash:<hash of the folder>\0name:<name>` for a folder ("d" sorts before "n").
// Where Python fails we fail too: a cyclic or looping link, a link that is not a
// broken one yet cannot be followed, a name that is not UTF-8, nothing to hash.
// One difference: a root folder that is itself a symlink is followed (the reference
// reports it as a cycle of itself).
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** State of one walk: file hashes by real path, and the folders on the current branch. */
interface Walk {
  fileHashes: Map<string, Promise<string>>;
  /** Real path of each folder being walked -> the path it was reached by. */
  ancestors: Map<string, string>;
}

/** Lowercase sha256 hex of a task folder, as Harbor's `dirhash(task_dir, "sha256")`. */
export async function taskChecksum(dir: string): Promise<string> {
  const st = await stat(dir);
  if (!st.isDirectory()) throw new Error(`${dir}: is not a directory`);
  const walk: Walk = { fileHashes: new Map(), ancestors: new Map() };
  const hash = await hashFolder(dir, await realpath(dir), walk);
  if (hash === null) throw new Error(`${dir}: nothing to hash (no file anywhere in it)`);
  return hash;
}

/** Python's `sorted()` order for str: by code point, which UTF-8 bytes preserve. */
function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A folder's dirhash from its entries' descriptors; null when it has none (left out). */
function folderHash(descriptors: readonly string[]): string | null {
  if (descriptors.length === 0) return null;
  return sha256hex([...descriptors].sort(compareCodePoints).join('\0\0'));
}

const sha256hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

// fatal: Python cannot encode a name that is not UTF-8; ignoreBOM: keep a leading U+FEFF.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeName(raw: Buffer, folder: string): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new Error(`${folder}: entry name ${JSON.stringify(raw.toString('utf8'))} is not valid UTF-8`);
  }
}

async function hashFolder(abs: string, real: string, walk: Walk): Promise<string | null> {
  walk.ancestors.set(real, abs);
  const descriptors: string[] = [];
  for (const dirent of await readdir(abs, { withFileTypes: true, encoding: 'buffer' })) {
    const name = decodeName(dirent.name, abs);
    const child = path.join(abs, name);
    let childReal = path.join(real, name);
    let isDir = dirent.isDirectory();
    let isFile = dirent.isFile();
    if (dirent.isSymbolicLink()) {
      const target = await statFollowed(child);
      if (target === null) continue; // a broken link: neither file nor folder
      childReal = await realpath(child);
      [isDir, isFile] = [target.isDirectory(), target.isFile()];
      const first = isDir ? walk.ancestors.get(childReal) : undefined;
      if (first !== undefined) {
        throw new Error(`Symlink recursion: ${child} links back to ${first} (real path ${childReal})`);
      }
    }
    if (isDir) {
      const sub = await hashFolder(child, childReal, walk);
      if (sub !== null) descriptors.push(`dirhash:${sub}\0name:${name}`);
    } else if (isFile) {
      descriptors.push(`data:${await fileHash(child, childReal, walk)}\0name:${name}`);
    } // sockets, FIFOs and devices are neither, and left out as scantree does
  }
  walk.ancestors.delete(real);
  return folderHash(descriptors);
}

/** stat through links; null only for a broken link (ENOENT), as Python's DirEntry.is_dir. */
async function statFollowed(file: string): Promise<Stats | null> {
  try {
    return await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** sha256 hex of a file's bytes, streamed; once per real path (a linked file is read once). */
function fileHash(file: string, real: string, walk: Walk): Promise<string> {
  let hash = walk.fileHashes.get(real);
  if (hash === undefined) {
    hash = (async () => {
      const h = createHash('sha256');
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
      return h.digest('hex');
    })();
    walk.fileHashes.set(real, hash);
  }
  return hash;
}
