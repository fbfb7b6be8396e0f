-- wrk script: order checks without reservation for random customers of the benchmark portfolio.
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "100000")
local counter = 0
math.randomseed(os.time())
request = function()
  counter = counter + 1
  local id = string.format("C%07d", math.random(1, customers))
  local body = string.format('{"orderId": "bench-%d-%d-%d", "amount": "%d.00"}', os.time(), math.random(1, 1000000000), counter, math.random(100, 20000))
  return wrk.format("POST", "/v1/customers/" .. id .. "/order-checks",
    {["Content-Type"] = "application/json", ["X-API-Key"] = "bench-sales-key-000000001"}, body)
end
