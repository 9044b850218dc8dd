import { terminalStatuses } from '@gantry/contracts';
import { jobStateFields } from './job-record.js';

const luaList = (names: readonly string[]) => `{${names.map((name) => `'${name}'`).join(', ')}}`;

/**
 * Job state changes are Lua scripts so that the hash, the per-job event stream (SSE with resume),
 * the records stream (drained into Postgres) and the pub/sub notification change together or not at all.
 */

/**
 * KEYS: hash, records, idempotency, deadlines. ARGV: id, idemValue, idemTtl, at, fields (a JSON object of
 * strings: one argument instead of two per field is cheaper on both sides), maxLifetimeSeconds (0 = none),
 * maxUnrecorded (0 = no limit), deadlineMs (0 = none).
 * Returns {1, ''} created, {0, existing} taken, {-1, ''} refused: the records stream holds maxUnrecorded
 * entries PostgreSQL has not got yet. Checked here, in the same round trip, and never by evicting: what
 * was accepted stays until it is recorded.
 * Nothing goes to the job's event stream yet: nobody can follow a job before this script has returned its
 * id, and a new SSE subscriber starts from the job's current state, so its first event would never be
 * read. The stream begins with the first change. The records entry carries the new hash's fields (as
 * \`job\`), so the recorder can write the row without reading the hash back.
 */
export const createJobScript = `
local id = ARGV[1]
if ARGV[2] ~= '' then
  local existing = redis.call('GET', KEYS[3])
  if existing then return {0, existing} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ''} end
local maxUnrecorded = tonumber(ARGV[7])
if maxUnrecorded > 0 and redis.call('XLEN', KEYS[2]) >= maxUnrecorded then return {-1, ''} end
local fields = {'seq', 1}
for name, value in pairs(cjson.decode(ARGV[5])) do
  fields[#fields + 1] = name
  fields[#fields + 1] = value
end
redis.call('HSET', KEYS[1], unpack(fields))
if tonumber(ARGV[6]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[6]) end
redis.call('XADD', KEYS[2], '*', 'id', id, 'seq', 1, 'status', 'queued', 'at', ARGV[4], 'data', '{}', 'job', ARGV[5])
if tonumber(ARGV[8]) > 0 then redis.call('ZADD', KEYS[4], ARGV[8], id) end
if ARGV[2] ~= '' then redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3]) end
return {1, ''}
`;

/**
 * KEYS: hash, events, records.
 * ARGV: id, allowedFrom ('*' = any non-terminal, else a comma list), newStatus ('' = unchanged), at,
 *       recordData ('' = no record), channel, retentionSeconds (0 = keep), nEvents, (name, data)×n, fields…
 * Returns {seq, previousStatus}; seq -1 = no such job, -2 = refused (status not allowed).
 * A records entry carries every state field of the job as it is after the change (as
 * \`state.<field>\`), so the recorder brings the row up to date without reading the hash back.
 */
export const transitionJobScript = `
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {-1, ''} end
local allowed = ARGV[2]
local ok = false
if allowed == '*' then
  ok = true
  for _, s in ipairs(${luaList(terminalStatuses)}) do
    if s == current then ok = false end
  end
else
  for s in string.gmatch(allowed, '[^,]+') do
    if s == current then ok = true end
  end
end
if not ok then return {-2, current} end
local n = tonumber(ARGV[8])
local first = 9 + 2 * n
if #ARGV >= first then
  local fields = {}
  for i = first, #ARGV do fields[#fields + 1] = ARGV[i] end
  redis.call('HSET', KEYS[1], unpack(fields))
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'status', ARGV[3]) end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
for i = 0, n - 1 do
  local name = ARGV[9 + 2 * i]
  local data = ARGV[10 + 2 * i]
  local eid = redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000, '*', 'event', name, 'data', data)
  redis.call('PUBLISH', ARGV[6], ARGV[1] .. '\\n' .. eid .. '\\n' .. name .. '\\n' .. data)
end
if ARGV[5] ~= '' then
  local values = redis.call('HMGET', KEYS[1], unpack(${luaList(jobStateFields)}))
  local names = ${luaList(jobStateFields.map((name) => `state.${name}`))}
  local entry = {'id', ARGV[1], 'seq', seq, 'status', ARGV[3], 'at', ARGV[4], 'data', ARGV[5]}
  for i = 1, #names do
    entry[#entry + 1] = names[i]
    entry[#entry + 1] = values[i] or ''
  end
  redis.call('XADD', KEYS[3], '*', unpack(entry))
end
local retention = tonumber(ARGV[7])
if retention > 0 then
  redis.call('EXPIRE', KEYS[1], retention)
  redis.call('EXPIRE', KEYS[2], retention)
end
return {seq, current}
`;
