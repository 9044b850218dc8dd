import { terminalStatuses } from '@gantry/contracts';
import { jobStateFields } from './job-record.js';

const luaList = (names: readonly string[]) => `{${names.map((name) => `'${name}'`).join(', ')}}`;

/** A Lua set of the final statuses (`terminal[status]` is true for one). */
export const luaTerminal = `{${terminalStatuses.map((status) => `${status} = true`).join(', ')}}`;

/**
 * Job state changes are Lua scripts so that the hash, the per-job event stream (SSE with resume),
 * the records stream (drained into Postgres) and the pub/sub notification change together or not at all.
 * Each reads the hash once and writes it once: a job's Redis commands are most of its cost (see the
 * bench's scenario 7).
 */

/**
 * The write half of creating a job, shared by the create and the admission scripts (which check first,
 * each its own way). KEYS: hash, records, idempotency, deadlines. ARGV: id, idemValue, idemTtl, at,
 * fields (a JSON object of strings: one argument instead of two per field is cheaper on both sides),
 * maxLifetimeSeconds (0 = none), maxUnrecorded (0 = no limit), deadlineMs (0 = none).
 * `backlogFull()`: the records stream holds maxUnrecorded entries PostgreSQL has not got yet. Checked in
 * the same round trip, and never by evicting: what was accepted stays until it is recorded.
 * `writeJob(extra)`: the hash (its fields, then `extra`, a flat list of more), its lifetime, the records
 * entry, the start deadline and the idempotency key.
 * Nothing goes to the job's event stream yet: nobody can follow a job before this script has returned its
 * id, and a new SSE subscriber starts from the job's current state, so its first event would never be
 * read. The stream begins with the first change. The records entry carries the new hash's fields (as
 * \`job\`), so the recorder can write the row without reading the hash back.
 */
export const jobCreation = `
local function backlogFull()
  local maxUnrecorded = tonumber(ARGV[7])
  return maxUnrecorded > 0 and redis.call('XLEN', KEYS[2]) >= maxUnrecorded
end

local function writeJob(extra)
  local fields = {'seq', 1}
  for name, value in pairs(cjson.decode(ARGV[5])) do
    fields[#fields + 1] = name
    fields[#fields + 1] = value
  end
  for i = 1, #extra do fields[#fields + 1] = extra[i] end
  redis.call('HSET', KEYS[1], unpack(fields))
  if tonumber(ARGV[6]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[6]) end
  redis.call('XADD', KEYS[2], '*', 'id', ARGV[1], 'seq', 1, 'status', 'queued', 'at', ARGV[4], 'data', '{}', 'job', ARGV[5])
  if tonumber(ARGV[8]) > 0 then redis.call('ZADD', KEYS[4], ARGV[8], ARGV[1]) end
  if ARGV[2] ~= '' then redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3]) end
end
`;

/**
 * KEYS and ARGV: see `jobCreation`.
 * Returns {1, ''} created, {0, existing} taken (the idempotency key's value, or '' for a taken id),
 * {-1, ''} refused: the records stream is full.
 */
export const createJobScript = `
${jobCreation}
if ARGV[2] ~= '' then
  local existing = redis.call('GET', KEYS[3])
  if existing then return {0, existing} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ''} end
if backlogFull() then return {-1, ''} end
writeJob({})
return {1, ''}
`;

const statusIndex = jobStateFields.indexOf('status') + 1;

/**
 * KEYS: hash, events, records.
 * ARGV: id, allowedFrom ('*' = any non-terminal, else a comma list), newStatus ('' = unchanged), at,
 *       recordData ('' = no record), channel, retentionSeconds (0 = keep), started ('1' = the job starts),
 *       nEvents, (name, data)×n, fields…
 * Returns {seq, previousStatus, input}; seq -1 = no such job, -2 = refused (status not allowed).
 * One HMGET reads what the change needs (status, seq, the state fields, the tenant's active set), one
 * HSET writes it. A records entry carries every state field of the job as it is after the change (as
 * \`state.<field>\`), so the recorder brings the row up to date without reading the hash back.
 * A start also returns the job's input (stored once, in the hash) and gives the event stream it may just
 * have begun the hash's remaining lifetime, so a job that never ends leaves nothing behind, whichever
 * process set the lifetime. A final status releases the job's place in its tenant's quota (the set named
 * in its hash at admission); SREM is idempotent, so a retried final transition releases it once.
 */
export const transitionJobScript = `
local state = ${luaList(jobStateFields)}
local nState = #state
local started = ARGV[8] == '1'
local read = {unpack(state)}
read[nState + 1] = 'seq'
read[nState + 2] = 'active_set'
if started then read[nState + 3] = 'input' end
local values = redis.call('HMGET', KEYS[1], unpack(read))
local current = values[${statusIndex}]
if not current then return {-1, ''} end
local terminal = ${luaTerminal}
local activeSet = values[nState + 2]
local allowed = ARGV[2]
local ok = false
if allowed == '*' then
  ok = not terminal[current]
else
  for s in string.gmatch(allowed, '[^,]+') do
    if s == current then ok = true end
  end
end
if not ok then
  if activeSet and terminal[current] then redis.call('SREM', activeSet, ARGV[1]) end
  return {-2, current}
end
local seq = (tonumber(values[nState + 1]) or 0) + 1
local n = tonumber(ARGV[9])
local first = 10 + 2 * n
local writes = {'seq', seq}
if ARGV[3] ~= '' then
  writes[3] = 'status'
  writes[4] = ARGV[3]
end
for i = first, #ARGV do writes[#writes + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(writes))
for i = 0, n - 1 do
  local name = ARGV[10 + 2 * i]
  local data = ARGV[11 + 2 * i]
  local eid = redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000, '*', 'event', name, 'data', data)
  redis.call('PUBLISH', ARGV[6], ARGV[1] .. '\\n' .. eid .. '\\n' .. name .. '\\n' .. data)
end
if ARGV[5] ~= '' then
  local after = {}
  for i = 1, nState do after[state[i]] = values[i] or '' end
  for i = 1, #writes, 2 do after[writes[i]] = writes[i + 1] end
  local names = ${luaList(jobStateFields.map((name) => `state.${name}`))}
  local entry = {'id', ARGV[1], 'seq', seq, 'status', ARGV[3], 'at', ARGV[4], 'data', ARGV[5]}
  for i = 1, nState do
    entry[#entry + 1] = names[i]
    entry[#entry + 1] = after[state[i]]
  end
  redis.call('XADD', KEYS[3], '*', unpack(entry))
end
local retention = tonumber(ARGV[7])
if retention > 0 then
  redis.call('EXPIRE', KEYS[1], retention)
  redis.call('EXPIRE', KEYS[2], retention)
end
if activeSet and terminal[ARGV[3]] then redis.call('SREM', activeSet, ARGV[1]) end
local input = false
if started then
  input = values[nState + 3]
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
end
return {seq, current, input}
`;
