// A worker process for the tests that kill one: starts a control agent and reports "ready".
import { startControlAgent } from '../start-control-agent.js';
import { recordingHandlers } from './recording-handlers.js';
import { testAnnouncement } from './test-announcement.js';

const [redisUrl, prefix, id, queue] = process.argv.slice(2);
if (!redisUrl || !prefix || !id || !queue)
  throw new Error('usage: agent-process <redisUrl> <prefix> <id> <queue>');
await startControlAgent({
  redisUrl,
  prefix,
  announce: () => testAnnouncement(id, queue),
  handlers: recordingHandlers(),
  heartbeatMs: 200,
  ttlMs: 600,
});
process.stdout.write('ready\n');
