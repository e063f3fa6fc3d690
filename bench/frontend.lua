-- wrk script: frontend evaluation with a different context on every request,
-- so no cache keyed on the context can answer them all.
local counter = 0
request = function()
  counter = counter + 1
  local user = "user-" .. math.random(1, 1000000)
  local plan = (counter % 2 == 0) and "pro" or "free"
  local path = "/api/frontend?appName=web&userId=" .. user .. "&properties%5Bplan%5D=" .. plan
      .. "&properties%5BappVersion%5D=1." .. (counter % 7) .. ".0"
  return wrk.format("GET", path)
end
