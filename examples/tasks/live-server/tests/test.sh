#!/bin/sh
# Reward 1 when a server on 127.0.0.1:8080 serves index.html containing "alive".
for _ in $(seq 1 25); do
  if wget -q -O /tmp/page http://127.0.0.1:8080/index.html 2>/dev/null && grep -q alive /tmp/page; then
    echo "server answered"; echo 1 > /logs/verifier/reward.txt; exit 0
  fi
  sleep 0.2
done
echo "no server on 127.0.0.1:8080"
echo 0 > /logs/verifier/reward.txt
