#!/bin/sh
# demo/web CGI: busybox httpd runs it for every directory URL without an index.html
# (/, /env/) and for /cgi-bin/env. The body names the version and the pod's hostname.
# CRLF after the headers: strict HTTP clients (Node's llhttp) refuse bare LF there.
printf 'Content-Type: text/plain\r\n\r\n'
case "$REQUEST_URI$SCRIPT_NAME" in
  /env/*|*/cgi-bin/env) env | sort ;;
  *) echo "version=${VERSION:-unknown} host=$(hostname)" ;;
esac
