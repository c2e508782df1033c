#!/bin/sh
# demo/web entrypoint: busybox httpd in the foreground on $PORT (default 8080), serving /www.
# One line on start, so `logs` has something to show without logging every probe.
echo "demo/web ${VERSION:-unknown} listening on :${PORT:-8080}"
exec httpd -f -p "${PORT:-8080}" -h /www
