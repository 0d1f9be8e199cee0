#!/bin/bash
# Runs the pytest suite; tests/conftest.py writes the per-test CTRF report to
# /logs/verifier/ctrf.json. The reward is the fraction of tests that passed.
cd /app
python3 -m pytest -q -p no:cacheprovider --rootdir=/tests /tests/test_calc.py
python3 - <<'PY'
import json
tests = json.load(open("/logs/verifier/ctrf.json"))["results"]["tests"]
passed = sum(t["status"] == "passed" for t in tests)
json.dump({"reward": passed / len(tests), "passed": passed, "total": len(tests)}, open("/logs/verifier/reward.json", "w"))
PY
