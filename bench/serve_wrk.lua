-- wrk script for bench/run_serve_bench.sh: sends the session cookie and prints, when done, one
-- line of JSON the bench reads: requests, seconds, requests per second, errors of every kind
-- (connect, read, write, timeout, non-2xx) and latency percentiles in milliseconds.
local cookie = os.getenv("SEVERN_COOKIE") or ""
wrk.headers["Cookie"] = cookie

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"errors":%d,"status_errors":%d,"socket_errors":%d,' ..
    '"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), errors, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
