import { randomUUID } from 'node:crypto';

/** A `multipart/form-data` request body, whole, and the content type that names its boundary. */
export interface MultipartBody {
  contentType: string;
  body: Buffer;
}

/** The body of a job with a file, built in one buffer as a client that holds the file in memory sends it. */
export function multipartBody(
  fields: Record<string, string>,
  file: { bytes: Buffer; filename: string },
): MultipartBody {
  const boundary = `gantry-bench-${randomUUID()}`;
  const part = (headers: string) => `--${boundary}\r\n${headers}\r\n\r\n`;
  const head = Object.entries(fields)
    .map(([name, value]) => `${part(`Content-Disposition: form-data; name="${name}"`)}${value}\r\n`)
    .join('');
  const fileHead = part(
    `Content-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: application/octet-stream`,
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head + fileHead), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}
