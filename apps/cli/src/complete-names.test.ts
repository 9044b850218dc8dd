import { describe, expect, it } from 'vitest';
import { nameKindAt } from './complete-names.js';

describe('nameKindAt', () => {
  it('finds the kind after the program word, as the bash and zsh scripts send the words', () => {
    expect(nameKindAt(['gantry', 'run'])).toBe('type');
    expect(nameKindAt(['/usr/local/bin/gantry', 'queues', 'pause'])).toBe('queue');
    expect(nameKindAt(['gantry', 'queues', 'resume'])).toBe('queue');
  });

  it('finds it without the program word too', () => {
    expect(nameKindAt(['run'])).toBe('type');
    expect(nameKindAt(['queues', 'pause'])).toBe('queue');
  });

  it('completes no name elsewhere', () => {
    expect(nameKindAt(['gantry'])).toBeNull();
    expect(nameKindAt([])).toBeNull();
    expect(nameKindAt(['gantry', 'run', 'test.sleep'])).toBeNull();
    expect(nameKindAt(['gantry', 'queues'])).toBeNull();
    expect(nameKindAt(['gantry', 'jobs', 'run'])).toBeNull();
    expect(nameKindAt(['queues', 'pause', 'ocr'])).toBeNull();
  });
});
