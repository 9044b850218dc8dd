import { describe, expect, it } from 'vitest';
import { NestLoggerBridge } from './nest-logger-bridge.js';
import { recordingLogger } from './testing/recording-logger.js';

describe('NestLoggerBridge', () => {
  it('sends Nest chatter to debug and problems to warn and error, tagged with the component', () => {
    const { logger, lines } = recordingLogger();
    const bridge = new NestLoggerBridge(logger, 'control-server');
    bridge.log('Connected to Redis. Subscribing to channels...');
    bridge.warn('slow');
    bridge.fatal('gone');
    expect(lines).toEqual([
      ['debug', { component: 'control-server' }, 'Connected to Redis. Subscribing to channels...'],
      ['warn', { component: 'control-server' }, 'slow'],
      ['error', { component: 'control-server' }, 'gone'],
    ]);
  });

  it('keeps an error object as `err`, the way pino serialises it', () => {
    const { logger, lines } = recordingLogger();
    const error = new Error('connect ECONNREFUSED 127.0.0.1:1');
    new NestLoggerBridge(logger, 'control-client').error(error);
    expect(lines).toEqual([['error', { component: 'control-client', err: error }, error.message]]);
  });
});
