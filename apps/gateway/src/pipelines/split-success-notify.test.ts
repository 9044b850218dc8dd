import { describe, expect, it } from 'vitest';
import { splitSuccessNotify } from './split-success-notify.js';

describe('splitSuccessNotify', () => {
  it('gives the success to the step and keeps the other final statuses on the run', () => {
    const split = splitSuccessNotify({
      webhook: { url: 'https://example.test/h', events: ['succeeded', 'failed', 'canceled'] },
      email: { to: ['a@example.test'], events: ['succeeded', 'timed_out'] },
    });
    expect(split).toEqual({
      input: { webhook: { url: 'https://example.test/h' }, email: { to: ['a@example.test'] } },
      run: {
        webhook: { url: 'https://example.test/h', events: ['failed', 'canceled'] },
        email: { to: ['a@example.test'], events: ['timed_out'] },
      },
    });
  });

  it('leaves the step out where success was not asked for, and the run out where only success was', () => {
    const split = splitSuccessNotify({
      webhook: { url: 'https://example.test/h', events: ['failed'] },
      email: { to: ['a@example.test'], events: ['succeeded'] },
    });
    expect(split).toEqual({
      input: { email: { to: ['a@example.test'] } },
      run: { webhook: { url: 'https://example.test/h', events: ['failed'] } },
    });
  });

  it('sends nothing anywhere when nothing was asked for', () => {
    expect(splitSuccessNotify({})).toEqual({ input: {}, run: {} });
  });
});
