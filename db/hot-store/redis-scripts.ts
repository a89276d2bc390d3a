/** The Lua scripts the Redis hot store runs, each one atomic step on the server. */

/**
 * KEYS: the version keys; ARGV[1]: TTL; ARGV[2..]: the versions, in KEYS order; then the
 * channel that announces the raised ones (empty: none). Announced in the same atomic step as
 * the raise, so no subscriber can read a raised version before its announcement is on its way.
 */
export const RAISE_VERSIONS_SCRIPT = `
local raised = {}
for index, key in ipairs(KEYS) do
  local wanted = tonumber(ARGV[index + 1])
  local current = tonumber(redis.call("GET", key))
  if current == nil or current < wanted then
    redis.call("SET", key, ARGV[index + 1], "EX", ARGV[1])
    raised[#raised + 1] = key .. " " .. ARGV[index + 1]
  else
    redis.call("EXPIRE", key, ARGV[1])
  end
end
local channel = ARGV[#KEYS + 2]
if channel ~= nil and channel ~= "" and #raised > 0 then
  redis.call("PUBLISH", channel, "v\\n" .. table.concat(raised, "\\n"))
end
return #KEYS`;

/**
 * One rate-rule attempt (see RateRule), on Redis's clock so every instance agrees.
 * KEYS[1]: a hash {n: attempts counted, next: earliest ms for the next one}.
 * ARGV: windowMs, limit, peek (1/0), backoff after (-1: none), baseMs, maxMs, max doublings.
 * Replies {allowed 1/0, count, waitMs}. TIME before a write needs effect replication, the
 * default since Redis 5.
 */
export const ATTEMPT_SCRIPT = `
local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call("HMGET", KEYS[1], "n", "next")
local count = tonumber(state[1]) or 0
local nextAt = tonumber(state[2]) or 0
local windowMs = tonumber(ARGV[1])
local ttl = redis.call("PTTL", KEYS[1])
local fresh = ttl < 0
if fresh then ttl = windowMs end
if nextAt > now then return {0, count, nextAt - now} end
if count >= tonumber(ARGV[2]) then return {0, count, ttl} end
if ARGV[3] == "1" then return {1, count, ttl} end
count = count + 1
local wait = 0
local after = tonumber(ARGV[4])
if after >= 0 and count >= after then
  wait = math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) * 2 ^ math.min(count - after, tonumber(ARGV[7])))
end
redis.call("HSET", KEYS[1], "n", count, "next", now + wait)
if fresh then redis.call("PEXPIRE", KEYS[1], windowMs) end
return {1, count, ttl}`;
