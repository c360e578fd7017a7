#!/bin/sh
# Entry point of the DIVE busybox test image. Behaviour is set through the environment:
#   HTTP_PORT=8080        serve /www with busybox httpd on that port (use network "host")
#   EXIT_AFTER=N          exit after N seconds with EXIT_CODE (default 1)
#   LOG_LINES=N           print N numbered log lines at start (default 3)
#   HEALTH_MODE, HEALTH_AFTER   read by /bin/health (see there)
mkdir -p /tmp /www
date +%s > /tmp/started
cut -d' ' -f1 /proc/uptime > /tmp/started-uptime
echo ok > /www/health
i=1
while [ "$i" -le "${LOG_LINES:-3}" ]; do echo "log line $i"; i=$((i + 1)); done
trap 'echo "stopping on TERM"; exit 0' TERM INT
if [ -n "${HTTP_PORT:-}" ]; then httpd -f -p "127.0.0.1:${HTTP_PORT}" -h /www & fi
if [ -n "${EXIT_AFTER:-}" ]; then
  sleep "$EXIT_AFTER"
  echo "exiting with ${EXIT_CODE:-1}"
  exit "${EXIT_CODE:-1}"
fi
while true; do sleep 1 & wait $!; done
