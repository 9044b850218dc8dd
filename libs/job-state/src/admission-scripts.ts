import { jobCreation, luaTerminal } from './job-state-scripts.js';

/**
 * Admission: the tenant's quota and its fair share of the queue, decided in the same script (and so the
 * same round trip) that creates the job state. It writes the job with the create script's own code
 * (`jobCreation`), so a change to that carries over; its own keys and arguments come after the create
 * script's and are read from the end (KEYS[#KEYS], ARGV[#ARGV]). The job's place in its tenant's quota
 * is released by the transition script that ends it. See ADR 0007.
 */

/** BullMQ's priority score: priority × 2^32 + a FIFO counter (its getPriorityScore.lua). */
const scoreUnit = '4294967296';

/**
 * KEYS: the create script's, then fairShare, fairShareFlows, bullPrioritized, tenantActiveJobs, tenantActiveSweep.
 * ARGV: the create script's, then priority (1–10), priorityCeiling (BullMQ's largest priority),
 *       maxActive (0 = no quota), sweepSeconds, bullJobPrefix, jobPrefix, flowTtlSeconds.
 * Returns the create script's reply with the BullMQ priority as a third element; {-3, active} when the
 * tenant's quota is full.
 *
 * Start-time fair queuing: each (tenant, priority) flow of a queue gets rounds 1, 2, 3… of virtual time,
 * never earlier than the queue's virtual time (the round of the job at the head of the queue), and the
 * BullMQ priority is the round, less the queue's base, times 10, plus the job's own priority. So a
 * tenant's 10,000 queued jobs take rounds far ahead while another tenant's first job takes the round at
 * the head; a tenant's priority-1 job does not wait behind its own priority-5 jobs (a flow waits only
 * behind flows of its tenant with the same or a higher priority). When the virtual time has moved half
 * the priority range past the base, every waiting job's priority is lowered by the same amount (a
 * rebase), so priorities stay under BullMQ's ceiling; a flow deeper than the range queues FIFO at its end.
 */
export const admitJobScript = `
local nk, na = #KEYS, #ARGV
local fairKey, flowsKey, prioritizedKey = KEYS[nk - 4], KEYS[nk - 3], KEYS[nk - 2]
local activeKey, sweptKey = KEYS[nk - 1], KEYS[nk]
local priority = tonumber(ARGV[na - 6])
local ceiling = tonumber(ARGV[na - 5])
local maxActive = tonumber(ARGV[na - 4])
local sweepSeconds = ARGV[na - 3]
local bullJobPrefix, jobPrefix = ARGV[na - 2], ARGV[na - 1]
local flowTtl = ARGV[na]
local terminal = ${luaTerminal}

${jobCreation}

-- The same command again: ioredis resends a command whose reply a dropped connection lost. Every request
-- has a new job id, so a hash with this id is this request's own, admitted already: same answer, counted once.
local job = redis.call('HMGET', KEYS[1], 'status', 'bull_priority')
if job[1] and job[2] then return {1, '', tonumber(job[2])} end

-- A replayed Idempotency-Key answers with its job whatever the quota, and takes no round.
local existing = ARGV[2] ~= '' and redis.call('GET', KEYS[3])
if existing then return {0, existing} end
if job[1] then return {0, ''} end

if maxActive > 0 and redis.call('SCARD', activeKey) >= maxActive then
  -- Self-healing: at most once per sweepSeconds, members whose job ended or vanished without the
  -- transition script seeing it (a hash that expired, a lost write) leave the set.
  if redis.call('SET', sweptKey, '1', 'NX', 'EX', sweepSeconds) then
    for _, member in ipairs(redis.call('SMEMBERS', activeKey)) do
      local status = redis.call('HGET', jobPrefix .. member, 'status')
      if not status or terminal[status] then redis.call('SREM', activeKey, member) end
    end
  end
  local active = redis.call('SCARD', activeKey)
  if active >= maxActive then return {-3, tostring(active)} end
end

local rounds = math.floor((ceiling - 10) / 10)
local state = redis.call('HMGET', fairKey, 'v', 'max', 'base')
local v = tonumber(state[1]) or 0
local maxRound = tonumber(state[2]) or 0
local base = tonumber(state[3]) or 0
local head = redis.call('ZRANGE', prioritizedKey, 0, 0, 'WITHSCORES')
if head[2] then
  local headPriority = math.floor(tonumber(head[2]) / ${scoreUnit})
  -- Priorities 1–10 are jobs queued without fair share (before it existed): they leave the virtual time as it was.
  if headPriority > 10 then v = base + math.floor((headPriority - 1) / 10) - 1 end
else
  -- Nothing waits: every round given out has started (or its add is on its way).
  v = maxRound
end

if v - base > rounds / 2 then
  local shift = v - base
  local waiting = redis.call('ZRANGE', prioritizedKey, 0, -1, 'WITHSCORES')
  for i = 1, #waiting, 2 do
    local score = tonumber(waiting[i + 1])
    local old = math.floor(score / ${scoreUnit})
    if old > 10 then
      local new = math.max(old - shift * 10, 10 + (old - 1) % 10 + 1)
      redis.call('ZADD', prioritizedKey, string.format('%.0f', new * ${scoreUnit} + score % ${scoreUnit}), waiting[i])
      redis.call('HSET', bullJobPrefix .. waiting[i], 'priority', new)
    end
  end
  base = v
end

local flows = redis.call('HMGET', flowsKey, '1', '2', '3', '4', '5', '6', '7', '8', '9', '10')
local last = v
for q = 1, priority do
  local round = tonumber(flows[q])
  if round and round > last then last = round end
end
local round = math.min(last + 1, base + rounds)
local bullPriority = (round - base) * 10 + priority

if backlogFull() then return {-1, ''} end
writeJob({'active_set', activeKey, 'bull_priority', bullPriority})
redis.call('HSET', flowsKey, tostring(priority), round)
redis.call('EXPIRE', flowsKey, flowTtl)
redis.call('HSET', fairKey, 'v', v, 'max', math.max(maxRound, round), 'base', base)
redis.call('SADD', activeKey, ARGV[1])
return {1, '', bullPriority}
`;
