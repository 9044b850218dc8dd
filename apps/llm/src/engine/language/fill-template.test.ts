import { describe, expect, it } from 'vitest';
import { fillTemplate } from './fill-template.js';

describe('fillTemplate', () => {
  it('fills values, falls back, and reports what had no value', () => {
    expect(
      fillTemplate('Hi {{customer_name|there}}, about {{order|your order}}{{date}}.', { order: 'order 7' }),
    ).toEqual({
      text: 'Hi there, about order 7.',
      unfilled: ['customer_name', 'date'],
    });
  });

  it('leaves text that is not a placeholder alone', () => {
    expect(fillTemplate('Use {curly} or {{ Bad-Name }}', {}).text).toBe('Use {curly} or {{ Bad-Name }}');
  });
});
