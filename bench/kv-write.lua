-- wrk script: each request POSTs a new version of one of KEYS (default 64) KV v2 secrets under secret/data/.
-- KEYS=1 measures a single hot key, where every writer waits on that key's lock.
wrk.method = "POST"
wrk.headers["X-Vault-Token"] = os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"data":{"username":"bench","password":"0123456789abcdef0123456789abcdef"}}'
local keys = tonumber(os.getenv("KEYS") or "64")

request = function()
  return wrk.format(nil, "/v1/secret/data/bench-" .. math.random(keys))
end
