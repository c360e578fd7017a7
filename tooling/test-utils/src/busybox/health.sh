#!/bin/sh
# HEALTHCHECK of the DIVE busybox test image. HEALTH_MODE:
#   pass (default)  always healthy
#   fail            always unhealthy
#   flip            unhealthy for HEALTH_AFTER seconds (default 2, fractions allowed), then healthy
#   flap            healthy for HEALTH_AFTER seconds (default 2), then unhealthy
#   file            healthy while /tmp/healthy exists (touch/rm it with docker exec)
# Elapsed time from /proc/uptime (centiseconds), so HEALTH_AFTER may be fractional (0.5 = half a second).
started=$(cat /tmp/started-uptime 2>/dev/null || echo 0)
now=$(cut -d' ' -f1 /proc/uptime)
after="${HEALTH_AFTER:-2}"
passed=$(awk -v n="$now" -v s="$started" -v a="$after" 'BEGIN { print (n - s >= a) ? 1 : 0 }')
elapsed=$(awk -v n="$now" -v s="$started" 'BEGIN { printf "%.2f", n - s }')
case "${HEALTH_MODE:-pass}" in
  pass) echo "healthy"; exit 0 ;;
  fail) echo "unhealthy by design"; exit 1 ;;
  flip) if [ "$passed" = 1 ]; then echo "healthy after ${elapsed}s"; exit 0; fi; echo "starting (${elapsed}s)"; exit 1 ;;
  flap) if [ "$passed" = 0 ]; then echo "healthy for now"; exit 0; fi; echo "went bad after ${elapsed}s"; exit 1 ;;
  file) if [ -f /tmp/healthy ]; then echo "marker present"; exit 0; fi; echo "marker missing"; exit 1 ;;
  *) echo "unknown HEALTH_MODE ${HEALTH_MODE}"; exit 2 ;;
esac
