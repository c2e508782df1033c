#!/bin/sh
# demo/web entrypoint: busybox httpd in the foreground on $PORT (default 8080), serving /www.
exec httpd -f -p "${PORT:-8080}" -h /www
