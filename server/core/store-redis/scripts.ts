/**
 * The Lua scripts of the Redis store: each runs atomically in Redis, so a lease and the write it guards cannot be
 * interleaved with another server's. Keys of one sandbox share the hash tag {<id>} (one slot in a Redis Cluster):
 *   <prefix>{<id>}:sandbox  hash: clock, apis, faults (JSON), token (of its last write), writer, writtenAt
 *   <prefix>{<id>}:lease    "<owner>|<token>", expiring after the lease's TTL
 *   <prefix>{<id>}:fence    the last fencing token handed out (INCR on each new lease)
 */

/**
 * KEYS: lease, fence, sandbox. ARGV: owner, ttl ms. Takes the lease (a new token) when it is free, keeps it when this
 * owner holds it. Returns {1, token, clock, apis, faults} or {0, pttl, holder}.
 */
export const ACQUIRE = `
local held = redis.call('GET', KEYS[1])
local token
if held then
  local sep = string.find(held, '|', 1, true)
  local owner = string.sub(held, 1, sep - 1)
  if owner ~= ARGV[1] then return {0, redis.call('PTTL', KEYS[1]), owner} end
  token = tonumber(string.sub(held, sep + 1))
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  token = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
end
local saved = redis.call('HMGET', KEYS[3], 'clock', 'apis', 'faults')
return {1, token, saved[1], saved[2], saved[3]}
`;

/** KEYS: lease. ARGV: "<owner>|<token>", ttl ms. 1 when the lease is still this one (extended), else 0. */
export const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * KEYS: sandbox, fence, lease. ARGV: token, owner, ttl ms, clock, apis, writtenAt. Refuses (0) a token older than
 * the last one handed out: another server has taken the sandbox since. Else writes and holds the lease on.
 */
export const WRITE = `
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < current then return 0 end
redis.call('HSET', KEYS[1], 'clock', ARGV[4], 'apis', ARGV[5], 'token', ARGV[1], 'writer', ARGV[2], 'writtenAt', ARGV[6])
redis.call('SET', KEYS[3], ARGV[2] .. '|' .. ARGV[1], 'PX', ARGV[3])
return 1
`;

/**
 * KEYS: sandbox, fence. ARGV: token, faults (JSON). The sandbox's fault rules, under the same fencing as its state;
 * nothing when the sandbox is gone (deleted).
 */
export const WRITE_FAULTS = `
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < current then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'faults', ARGV[2]) end
return 1
`;

/**
 * KEYS: sandbox, fence, lease. ARGV: token. Deletes the sandbox and its lease: 1, or 0 when there was no sandbox;
 * -1 refuses an older token. The fence stays, so that a sandbox made again later gets newer tokens.
 */
export const REMOVE = `
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < current then return -1 end
local removed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[3])
return removed
`;

/** KEYS: lease. ARGV: "<owner>|<token>". Gives the lease up when it is still this one. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;
