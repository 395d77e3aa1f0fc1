-- wrk script of the query benchmark (run-query-benchmark.sh): a mix of the control service's analytics queries.
--
-- Settings come from the environment, so that the main Lua state (setup, done) and every thread's state read the same:
--   QB_JOB            the job's name
--   QB_API_KEY        a viewer's API key (X-API-Key header)
--   QB_PRODUCTS, QB_REGIONS, QB_STATES   the keys to pick from, comma separated
--   QB_RATE           requests/s over all connections; 0 = unpaced (each connection sends as soon as it has its answer)
--   QB_THREADS        wrk's -t, which must equal -c: one connection per thread, so each thread keeps its own schedule
--   QB_RECORDS        optional: a file that receives one line per request, "type latency_us status"
--
-- Pacing: with QB_RATE > 0 each connection sends on a fixed schedule (every QB_THREADS * 1000 / QB_RATE ms, the
-- connections staggered). delay() waits until the next request is due; a request due while the previous one is still
-- out is sent as soon as the answer arrives (counted as "behind"), so a slow service shows as a rate below target.
-- wrk measures each latency from the moment the request is written, not from when it was due.
--
-- done() prints lines starting with "QB " (key=value pairs; a sample, the rest of its line) that QueryLoad parses:
-- the summary, wrk's latency percentiles, each query type and status that answered other than 2xx (with the first
-- answer's start), and the start of the first 2xx answer of each query type.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } qb_timespec;
  int clock_gettime(int clock_id, qb_timespec *tp);
]]
local CLOCK_REALTIME = 0
local ts = ffi.new("qb_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_REALTIME, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local function split(text)
  local list = {}
  for item in string.gmatch(text or "", "[^,]+") do
    list[#list + 1] = item
  end
  return list
end

local function iso(epoch_ms)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", math.floor(epoch_ms / 1000))
end

local job = os.getenv("QB_JOB")
local api_key = os.getenv("QB_API_KEY")
local products = split(os.getenv("QB_PRODUCTS"))
local regions = split(os.getenv("QB_REGIONS"))
local states = split(os.getenv("QB_STATES"))
local rate = tonumber(os.getenv("QB_RATE") or "0")
local thread_count = tonumber(os.getenv("QB_THREADS") or "1")
local records_file = os.getenv("QB_RECORDS")

local HOUR = 3600 * 1000
local base = "/api/jobs/" .. job

local function pick(list)
  return list[math.random(#list)]
end

local function dimension_key()
  local u = math.random()
  if u < 0.6 then return "product", pick(products) end
  if u < 0.8 then return "region", pick(regions) end
  return "state", pick(states)
end

-- The mix, by cumulative share: {share, type, function(now) -> path}
local mix = {
  {0.35, "rollup_minute_1h", function(now)
    local dimension, key = dimension_key()
    return base .. "/rollups/" .. dimension .. "/" .. key .. "?granularity=minute&from=" .. iso(now - HOUR)
        .. "&to=" .. iso(now)
  end},
  {0.15, "rollup_hour_24h", function(now)
    local dimension, key = dimension_key()
    return base .. "/rollups/" .. dimension .. "/" .. key .. "?granularity=hour&from=" .. iso(now - 24 * HOUR)
        .. "&to=" .. iso(now)
  end},
  {0.15, "totals", function(now)
    local u = math.random()
    if u < 0.4 then return base .. "/totals/region" end
    if u < 0.7 then return base .. "/totals/product?limit=100" end
    return base .. "/totals/state?key=" .. pick(states)
  end},
  {0.15, "top", function(now)
    if math.random() < 0.5 then return base .. "/top/product" end
    return base .. "/top/state?windows=5"
  end},
  {0.15, "events_10m", function(now)
    return base .. "/events/" .. pick(products) .. "?from=" .. iso(now - 10 * 60 * 1000) .. "&to=" .. iso(now)
        .. "&limit=50"
  end},
  {0.05, "rejects", function(now)
    return base .. "/rejects?limit=50"
  end},
}

-- per thread
local next_due = nil
local interval_ms = 0
local sent_at = 0
local current_type = nil
-- globals of a thread, read by done() through thread:get
records = {}
behind = 0
non2xx = {}
samples = {}
answers = {}

-- main state: the threads, to read their counters in done()
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + 7919 * (thread_index or 0))
  if rate > 0 then
    interval_ms = thread_count * 1000 / rate
    next_due = now_ms() + interval_ms * (thread_index or 0) / thread_count
  end
end

local function paced_delay()
  local now = now_ms()
  local due = next_due
  next_due = next_due + interval_ms
  if due < now then
    if now - due > 1 then
      behind = behind + 1
    end
    if now - due > 1000 then
      next_due = now + interval_ms -- more than a second behind: give up on catching up
    end
    return 0
  end
  return math.floor(due - now)
end

if rate > 0 then
  delay = paced_delay -- unpaced, wrk sends the next request as soon as the answer is in
end

function request()
  local u = math.random()
  local now = now_ms()
  local path
  for _, entry in ipairs(mix) do
    u = u - entry[1]
    if u < 0 or entry == mix[#mix] then
      current_type = entry[2]
      path = entry[3](now)
      break
    end
  end
  sent_at = now_ms()
  return wrk.format("GET", path, {["X-API-Key"] = api_key, ["Accept"] = "application/json"})
end

function response(status, headers, body)
  local latency_us = math.floor((now_ms() - sent_at) * 1000)
  if records_file then
    records[#records + 1] = current_type .. " " .. latency_us .. " " .. status
  end
  if answers[current_type] == nil and status >= 200 and status <= 299 then
    answers[current_type] = string.sub(string.gsub(body or "", "%s+", " "), 1, 200)
  end
  if status < 200 or status > 299 then
    local key = current_type .. ":" .. status
    non2xx[key] = (non2xx[key] or 0) + 1
    if samples[key] == nil then
      samples[key] = string.sub(string.gsub(body or "", "%s+", " "), 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  local behind_total = 0
  local by_key = {}
  local sample_by_key = {}
  local answer_by_type = {}
  local file = records_file and io.open(records_file, "w") or nil
  for _, thread in ipairs(threads) do
    behind_total = behind_total + (thread:get("behind") or 0)
    for key, count in pairs(thread:get("non2xx") or {}) do
      by_key[key] = (by_key[key] or 0) + count
      non2xx_total = non2xx_total + count
    end
    for key, sample in pairs(thread:get("samples") or {}) do
      sample_by_key[key] = sample_by_key[key] or sample
    end
    for type, answer in pairs(thread:get("answers") or {}) do
      answer_by_type[type] = answer_by_type[type] or answer
    end
    if file then
      for _, line in ipairs(thread:get("records") or {}) do
        file:write(line, "\n")
      end
    end
  end
  if file then
    file:close()
  end
  local e = summary.errors
  io.write(string.format("QB summary requests=%d duration_us=%d bytes=%d non2xx=%d behind=%d errors_connect=%d"
      .. " errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n", summary.requests, summary.duration,
      summary.bytes, non2xx_total, behind_total, e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format("QB latency_us p50=%d p90=%d p99=%d p999=%d max=%d mean=%.0f\n", latency:percentile(50),
      latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
  for key, count in pairs(by_key) do
    io.write(string.format("QB non2xx key=%s count=%d sample=%s\n", key, count, sample_by_key[key] or ""))
  end
  for type, answer in pairs(answer_by_type) do
    io.write(string.format("QB answer type=%s sample=%s\n", type, answer))
  end
end
