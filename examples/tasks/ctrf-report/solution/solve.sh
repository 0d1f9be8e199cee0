#!/bin/bash
set -euo pipefail
cat > calc.py <<'PY'
def add(a, b):
    return a + b


def greet():
    return "hi"
PY
touch /app/DONE
