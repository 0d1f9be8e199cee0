# A minimal CTRF reporter (https://ctrf.io/docs/specification/overview): one entry per
# test with its name, status, duration (ms) and failure message.
import json
import time

_results = []
_start = time.time()


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        status = {"passed": "passed", "failed": "failed", "skipped": "skipped"}[report.outcome]
        entry = {"name": report.nodeid.split("::")[-1], "status": status, "duration": int(report.duration * 1000)}
        if report.failed:
            crash = getattr(report.longrepr, "reprcrash", None)
            entry["message"] = (crash.message if crash else str(report.longrepr).splitlines()[-1])[:500]
        _results.append(entry)


def pytest_sessionfinish(session, exitstatus):
    summary = {
        "tests": len(_results),
        "passed": sum(r["status"] == "passed" for r in _results),
        "failed": sum(r["status"] == "failed" for r in _results),
        "skipped": sum(r["status"] == "skipped" for r in _results),
        "pending": 0,
        "other": 0,
        "start": int(_start * 1000),
        "stop": int(time.time() * 1000),
    }
    report = {"results": {"tool": {"name": "pytest"}, "summary": summary, "tests": _results}}
    with open("/logs/verifier/ctrf.json", "w") as f:
        json.dump(report, f)
