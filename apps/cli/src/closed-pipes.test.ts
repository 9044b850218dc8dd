import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { handleClosedPipes } from './closed-pipes.js';

const failure = (code: string) => Object.assign(new Error(`write ${code}`), { code });

describe('handleClosedPipes', () => {
  it("quits when stdout's reader has gone", () => {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const quit = vi.fn();
    handleClosedPipes(stdout, stderr, quit);
    stdout.emit('error', failure('EPIPE'));
    expect(quit).toHaveBeenCalledOnce();
  });

  it("carries on when only stderr's reader has gone", () => {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const quit = vi.fn();
    handleClosedPipes(stdout, stderr, quit);
    expect(() => stderr.emit('error', failure('EPIPE'))).not.toThrow();
    expect(quit).not.toHaveBeenCalled();
  });

  it('leaves other write errors uncaught', () => {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const quit = vi.fn();
    handleClosedPipes(stdout, stderr, quit);
    expect(() => stdout.emit('error', failure('ENOSPC'))).toThrow('write ENOSPC');
    expect(() => stderr.emit('error', failure('EIO'))).toThrow('write EIO');
    expect(quit).not.toHaveBeenCalled();
  });
});
