-- wrk script of scripts/bench-load: one PUT per request, never the same
-- report twice, each request's latency, and a RESULT line.
--
--   wrk -t N -c N ... -s load.lua URL -- create TAG BODY_FILE
--     PUT /api/v1/reports/{id} with BODY_FILE (a CreateReport JSON), each
--     request a new report id; the expected answer is 201.
--   wrk -t N -c N ... -s load.lua URL -- upload TAG PHOTO_FILE PER_THREAD
--     PUT /api/v1/reports/{id}/media/0 with PHOTO_FILE: thread t uploads to
--     reports (TAG, t, 1) … (TAG, t, PER_THREAD) in turn (created beforehand,
--     each declaring that photo), so every upload is a first one; the
--     expected answer is 200.
--
-- Report ids are TAG-TTTT-4000-8000-NNNNNNNNNNNN: TAG 8 hex digits, TTTT the
-- wrk thread (from 1), N a per-thread count (from 1), in hex. wrk calls
-- request() once more in the first thread to check the script, so that
-- thread skips one id: harmless, as only "never twice" matters.
--
-- Latency: wrk's own percentiles include samples it adds to correct for
-- coordinated omission; this script also times each request itself (from
-- request() to response(), monotonic clock), which needs one connection a
-- thread (-c = -t) to pair them. RESULT gives both.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } gw_timespec;
int clock_gettime(int clock_id, gw_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("gw_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1e3 + tonumber(timespec.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

local function read_file(path)
  local file = assert(io.open(path, "rb"))
  local bytes = file:read("*a")
  file:close()
  return bytes
end

local function report_id(tag, thread, n)
  return string.format("%s-%04x-4000-8000-%012x", tag, thread, n)
end

function init(args)
  mode, tag = args[1], args[2]
  body = read_file(args[3])
  sent, ok, non2xx, other2xx, exhausted = 0, 0, 0, 0, 0
  statuses, seen, latencies = "", {}, {}
  if mode == "create" then
    expect = 201
    headers = { ["Content-Type"] = "application/json" }
  elseif mode == "upload" then
    expect = 200
    per_thread = tonumber(args[4])
    headers = { ["Content-Type"] = "image/jpeg" }
  else
    error("mode must be create or upload, not " .. tostring(mode))
  end
end

function request()
  sent = sent + 1
  local path
  if mode == "create" then
    path = "/api/v1/reports/" .. report_id(tag, thread_index, sent)
  else
    local n = sent
    if sent > per_thread then
      -- Out of prepared reports: counted, and the run fails (more are needed).
      exhausted = exhausted + 1
      n = per_thread
    end
    path = "/api/v1/reports/" .. report_id(tag, thread_index, n) .. "/media/0"
  end
  local req = wrk.format("PUT", path, headers, body)
  started = now_ms()
  return req
end

function response(status, headers, body)
  if started then
    latencies[#latencies + 1] = now_ms() - started
    started = nil
  end
  if status == expect then
    ok = ok + 1
    return
  end
  if status >= 200 and status < 300 then
    other2xx = other2xx + 1
  else
    non2xx = non2xx + 1
  end
  seen[status] = (seen[status] or 0) + 1
  statuses = ""
  for code, n in pairs(seen) do
    statuses = statuses .. code .. "x" .. n .. ","
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

function done(summary, latency, requests)
  local ok_all, non2xx_all, other2xx_all, exhausted_all, statuses_all = 0, 0, 0, 0, ""
  local all = {}
  for _, thread in ipairs(threads) do
    ok_all = ok_all + thread:get("ok")
    non2xx_all = non2xx_all + thread:get("non2xx")
    other2xx_all = other2xx_all + thread:get("other2xx")
    exhausted_all = exhausted_all + thread:get("exhausted")
    statuses_all = statuses_all .. thread:get("statuses")
    for _, ms in ipairs(thread:get("latencies")) do
      all[#all + 1] = ms
    end
  end
  table.sort(all)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  -- One line for scripts/bench-load: scenario, completed requests, seconds,
  -- requests/s; latency in ms as timed here: p50, p99, max, and the number
  -- timed; wrk's p99 (with its correction); answers with the expected
  -- status, non-2xx answers, other 2xx answers (a replay), socket errors,
  -- requests beyond the prepared reports, unexpected statuses (code x count).
  io.write(string.format(
    "RESULT %s %d %.3f %.1f %.2f %.2f %.2f %d %.2f %d %d %d %d %d %s\n",
    threads[1]:get("mode"), summary.requests, seconds, summary.requests / seconds,
    percentile(all, 50), percentile(all, 99), all[#all] or 0, #all,
    latency:percentile(99) / 1000,
    ok_all, non2xx_all, other2xx_all,
    errors.connect + errors.read + errors.write + errors.timeout,
    exhausted_all, statuses_all == "" and "-" or statuses_all))
end
