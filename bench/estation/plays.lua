-- wrk: POST batches of plays with ids unique across threads and requests.
-- Environment: BATCH (plays per request), CONTENT (a content id the screen may play).
local batch = tonumber(os.getenv("BATCH") or "500")
local content = os.getenv("CONTENT") or "1"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Content-Type"] = "application/json"
  start = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 3600)
end

request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, batch do
    parts[i] = string.format(
      '{"play_id":"w%d-%d-%d","content_id":"%s","schedule_id":null,"interrupt_id":null,"started_at":"%s","duration_ms":20000,"completed":true}',
      tid, counter, i, content, start)
  end
  return wrk.format("POST", "/api/device/v1/plays", nil, '{"plays":[' .. table.concat(parts, ",") .. ']}')
end

local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

done = function(summary, latency, requests)
  local ok = summary.requests - summary.errors.status
  io.write(string.format("plays accepted (200 responses x %d): %d in %.1f s = %.0f plays/s; non-200: %d\n",
    batch, ok * batch, summary.duration / 1e6, ok * batch / (summary.duration / 1e6), summary.errors.status))
end
