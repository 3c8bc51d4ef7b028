// The export file on disk. Writes are positional at the committed length, so a resumed export first cuts
// off whatever a killed worker wrote after its last checkpoint. Gzip exports are a series of complete
// gzip members, one per batch (RFC 1952 allows concatenation; gunzip and zlib read them as one stream),
// which is what makes cutting at a checkpoint safe.
import { createReadStream } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";

export const EXPORT_DIR = () => path.resolve(process.env.EXPORT_DIR ?? ".data/exports");

export function exportPath(fileName: string): string {
  return path.join(EXPORT_DIR(), path.basename(fileName));
}

export class ExportFile {
  private constructor(private fh: FileHandle, private length: number) {}

  /** Opens (creating it if needed) and cuts the file back to `committed` bytes. */
  static async open(file: string, committed: number): Promise<ExportFile> {
    await mkdir(path.dirname(file), { recursive: true });
    const fh = await open(file, "a+").then(async (h) => {
      await h.close();
      return open(file, "r+");
    });
    await fh.truncate(committed);
    return new ExportFile(fh, committed);
  }

  get size(): number {
    return this.length;
  }

  /** Appends and flushes to disk, so a committed checkpoint never points past durable bytes. */
  async append(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.fh.write(bytes, done, bytes.length - done, this.length + done);
      done += bytesWritten;
    }
    this.length += bytes.length;
    await this.fh.datasync();
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
