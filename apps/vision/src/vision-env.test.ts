import { describe, expect, it } from 'vitest';
import { loadVisionEnv } from './vision-env.js';

describe('loadVisionEnv', () => {
  it('caps vision.video at 300 sampled frames by default and lets a worker sample fewer, never more', () => {
    expect(loadVisionEnv({}).VISION_VIDEO_MAX_FRAMES).toBe(300);
    expect(loadVisionEnv({ VISION_VIDEO_MAX_FRAMES: '20' }).VISION_VIDEO_MAX_FRAMES).toBe(20);
    expect(() => loadVisionEnv({ VISION_VIDEO_MAX_FRAMES: '301' })).toThrow(/VISION_VIDEO_MAX_FRAMES/);
    expect(() => loadVisionEnv({ VISION_VIDEO_MAX_FRAMES: '0' })).toThrow(/VISION_VIDEO_MAX_FRAMES/);
  });

  it('leaves the video frame size limit to MAX_IMAGE_PIXELS unless VISION_VIDEO_MAX_PIXELS is set', () => {
    expect(loadVisionEnv({}).VISION_VIDEO_MAX_PIXELS).toBeUndefined();
    expect(loadVisionEnv({ VISION_VIDEO_MAX_PIXELS: '2073600' }).VISION_VIDEO_MAX_PIXELS).toBe(2_073_600);
  });
});
