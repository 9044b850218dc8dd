/**
 * KEYS: hash, events. Sent right behind the transition that marks a job running, on the same
 * connection: returns the job's input (stored once, in the hash), and gives the event stream that the
 * transition may just have started the hash's remaining lifetime, so a job that never ends leaves
 * nothing behind, whichever process set the lifetime.
 */
export const startedJobScript = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 and redis.call('PTTL', KEYS[2]) == -1 then redis.call('PEXPIRE', KEYS[2], ttl) end
return redis.call('HGET', KEYS[1], 'input')
`;
