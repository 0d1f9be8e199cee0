#!/bin/sh
# Reward 1 when /app/hello.txt holds exactly "Hello, world!", else 0. Exits 0 either way:
# the reward is only the reward file.
if [ "$(cat /app/hello.txt 2>/dev/null)" = "Hello, world!" ]; then
  echo "hello.txt is right"
  echo 1 > /logs/verifier/reward.txt
else
  echo "hello.txt is missing or wrong: $(cat /app/hello.txt 2>&1 | head -c 200)"
  echo 0 > /logs/verifier/reward.txt
fi
