import { AbstractTokenizer, EndOfStreamError, type IReadChunkOptions } from 'strtok3';
import type { ByteSource } from './byte-source.js';

/** A random-access strtok3 tokenizer over a `ByteSource`, for file-type's sniffing. */
export class ByteSourceTokenizer extends AbstractTokenizer {
  readonly fileInfo: { size: number };

  constructor(private readonly source: ByteSource) {
    super();
    this.fileInfo = { size: source.size };
  }

  async readBuffer(buffer: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const normal = this.normalizeOptions(buffer, options);
    const read = await this.peekBuffer(buffer, normal);
    this.position = normal.position + read;
    return read;
  }

  async peekBuffer(buffer: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const normal = this.normalizeOptions(buffer, options);
    const wanted = Math.max(0, Math.min(this.source.size - normal.position, normal.length));
    if (!normal.mayBeLess && wanted < normal.length) throw new EndOfStreamError();
    if (wanted === 0) return 0;
    const bytes = await this.source.read(normal.position, wanted);
    buffer.set(bytes, 0);
    return bytes.length;
  }

  supportsRandomAccess(): boolean {
    return true;
  }

  setPosition(position: number): void {
    this.position = position;
  }
}
