import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { treeRss } from './tree-rss.js';

describe('treeRss', () => {
  it('counts a child process in its parent’s resident memory', async () => {
    const alone = await treeRss(process.pid);
    expect(alone).toBeGreaterThan(10 * 1_048_576);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      // A bare Node process holds well over 10 MiB resident.
      expect(await treeRss(process.pid)).toBeGreaterThan(alone + 10 * 1_048_576);
      expect(await treeRss(child.pid ?? 0)).toBeGreaterThan(10 * 1_048_576);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
    expect(await treeRss(child.pid ?? 0)).toBe(0);
  });
});
