-- One request, repeated: method, body and Authorization come from the
-- environment (set by run.sh), so one script serves every wrk scenario.
--   BENCH_METHOD (GET), BENCH_BODY (form-encoded), BENCH_AUTHORIZATION,
--   BENCH_HOST (Host header: the issuer's authority, as Trame routes by it).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local authorization = os.getenv("BENCH_AUTHORIZATION")
local host = os.getenv("BENCH_HOST")

wrk.method = method
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end
if host and host ~= "" then
  wrk.headers["Host"] = host
end
wrk.headers["Accept"] = "application/json"

-- One JSON line for run.sh: throughput, latency percentiles (ms), errors.
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  local secs = summary.duration / 1e6
  io.write(string.format(
    'JSON {"requests":%d,"duration_s":%.3f,"req_per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
