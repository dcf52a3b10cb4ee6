-- wrk script: POST /transaction as HTTPie sends it, with the token that the
-- benchmark got from auth (TOKEN in the environment).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"token": "' .. os.getenv("TOKEN") .. '", "amount": 100, "currency": "USD"}'
