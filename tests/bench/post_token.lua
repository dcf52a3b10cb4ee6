-- wrk script: POST /auth/token as HTTPie sends it (a good login: failed
-- ones are rate-limited, successes are not).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username": "alice", "password": "password"}'
