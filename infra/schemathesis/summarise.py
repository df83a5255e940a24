"""Reads a schemathesis NDJSON report and says whether the run met the bar of the test command.

The bar: no check failed, no error, no 5xx answer, and every operation of the document answered 2xx at
least once. Prints the counts (and writes them to the summary file the test command prints at its end);
exits 1 when the bar is not met.
"""

import collections
import json
import re
import sys


def operations(document):
    found = []
    for template, item in document["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
                literals = len([s for s in template.split("/") if s and not s.startswith("{")])
                found.append((method.upper(), template, pattern, literals))
    return found


def operation_of(ops, method, path):
    matches = [op for op in ops if op[0] == method and op[2].match(path)]
    matches.sort(key=lambda op: -op[3])
    return f"{method} {matches[0][1]}" if matches else None


def main(report_path, document_path, summary_path):
    with open(document_path, encoding="utf-8") as f:
        ops = operations(json.load(f))
    statuses = collections.Counter()
    success = set()
    failures = collections.Counter()
    errors = []
    requests = 0
    with open(report_path, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            if "NonFatalError" in event:
                errors.append(json.dumps(event["NonFatalError"])[:300])
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished["recorder"]
            for checks in recorder.get("checks", {}).values():
                for check in checks:
                    if check["status"] == "failure":
                        failures[check["name"]] += 1
            for interaction in recorder.get("interactions", {}).values():
                response = interaction.get("response")
                if not response:
                    continue
                requests += 1
                status = response["status_code"]
                statuses[status] += 1
                uri = interaction["request"]["uri"]
                path = re.sub(r"^[a-z]+://[^/]+", "", uri).split("?")[0]
                op = operation_of(ops, interaction["request"]["method"], path)
                if op and 200 <= status < 300:
                    success.add(op)
    every = {f"{op[0]} {op[1]}" for op in ops}
    never = sorted(every - success)
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    lines = [
        f"schemathesis: {requests} requests, {sum(failures.values())} failed checks, {len(errors)} errors, "
        f"{server_errors} 5xx, {len(success)}/{len(every)} operations reached 2xx",
        "schemathesis statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())),
    ]
    if failures:
        lines.append("schemathesis failed checks: " + ", ".join(f"{k}: {v}" for k, v in failures.items()))
    if never:
        lines.append("schemathesis operations never answered 2xx: " + ", ".join(never))
    lines += [f"schemathesis error: {e}" for e in errors]
    with open(summary_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if failures or errors or server_errors or never else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
