#!/bin/sh
# HEALTHCHECK of the DIVE busybox test image. HEALTH_MODE:
#   pass (default)  always healthy
#   fail            always unhealthy
#   flip            unhealthy for HEALTH_AFTER seconds (default 2), then healthy
#   flap            healthy for HEALTH_AFTER seconds (default 2), then unhealthy
#   file            healthy while /tmp/healthy exists (touch/rm it with docker exec)
started=$(cat /tmp/started 2>/dev/null || echo 0)
elapsed=$(( $(date +%s) - started ))
after="${HEALTH_AFTER:-2}"
case "${HEALTH_MODE:-pass}" in
  pass) echo "healthy"; exit 0 ;;
  fail) echo "unhealthy by design"; exit 1 ;;
  flip) if [ "$elapsed" -ge "$after" ]; then echo "healthy after ${elapsed}s"; exit 0; fi; echo "starting (${elapsed}s)"; exit 1 ;;
  flap) if [ "$elapsed" -lt "$after" ]; then echo "healthy for now"; exit 0; fi; echo "went bad after ${elapsed}s"; exit 1 ;;
  file) if [ -f /tmp/healthy ]; then echo "marker present"; exit 0; fi; echo "marker missing"; exit 1 ;;
  *) echo "unknown HEALTH_MODE ${HEALTH_MODE}"; exit 2 ;;
esac
