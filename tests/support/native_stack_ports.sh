# Sourced by the tests of the deploy scripts: picks free ports for every
# address of the native stack and exports them as deploy/up reads them,
# so that such a test runs beside the others and beside a stack already up.
# shellcheck shell=bash

# Ports below Linux's ephemeral range (32768+), so no test binding port 0
# is handed one of them between the check here and the bind.
free_ports() {
  /usr/bin/python3 - "$1" <<'PY'
import random, socket, sys
ports = set()
while len(ports) < int(sys.argv[1]):
    port = random.randint(20000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    ports.add(port)
print(" ".join(map(str, ports)))
PY
}

read -r http redis auth core psp m1 m2 m3 m4 m5 <<<"$(free_ports 10)"
export HTTP_PORT=$http HTTP_HOST=127.0.0.1 REDIS_URL="redis://127.0.0.1:$redis/0"
export AUTH_ADDR="127.0.0.1:$auth" CORE_ADDR="127.0.0.1:$core" PSP_ADDR="127.0.0.1:$psp"
export GATEWAY_METRICS_PORT=$m1 AUTH_METRICS_PORT=$m2 CORE_METRICS_PORT=$m3
export PSP_MOCK_METRICS_PORT=$m4 CONNECTOR_METRICS_PORT=$m5
unset http redis auth core psp m1 m2 m3 m4 m5
