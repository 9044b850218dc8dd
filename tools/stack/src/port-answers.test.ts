import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { portAnswers } from './port-answers.js';

const servers: ReturnType<typeof createServer>[] = [];
const listen = async () => {
  const server = createServer((socket) => socket.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
};

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('portAnswers', () => {
  it('is true while a server listens, and false once the port is closed', async () => {
    const { server, port } = await listen();
    expect(await portAnswers(port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await portAnswers(port)).toBe(false);
  });
});
