"""Schemathesis hooks for the ledger (loaded through `hooks` in schemathesis.toml).

A client sends a fresh Idempotency-Key with each new request (a UUID, say); a generator draws short keys
from a small space and would reuse one for a different body, which the ledger rightly refuses (422
idempotency-key-reused) and which would then hide the operation behind it. So a well-formed generated key
gets a unique suffix; a malformed one is left as it is (the ledger must still refuse it with 400). Reusing a
key on purpose is tested in test/pledge-writes.int-spec.ts.

A witness's cosignature cannot be generated: the document's example note stands for the one the run's
witness made (COSIGNED_NOTE), so the hand-in is tried with a real one as well as with fuzzed ones.
"""

import json
import os
import re
import uuid

import schemathesis

WELL_FORMED = re.compile(r"^[\x21-\x7e]{1,200}$")
COSIGNED_NOTE_EXAMPLE = "A checkpoint note of this log with a witness cosignature line"


@schemathesis.serializer("application/jsonl", "application/x-ndjson", "application/x-jsonlines")
def json_lines(ctx, value):
    """An import file in JSON Lines goes on the wire as the text it is (a generated string, or an example)."""
    if isinstance(value, bytes):
        return {"data": value}
    if isinstance(value, str):
        return {"data": value.encode("utf-8", "surrogatepass")}
    return {"data": json.dumps(value).encode("utf-8")}


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    body = getattr(case, "body", None)
    if isinstance(body, dict) and body.get("note") == COSIGNED_NOTE_EXAMPLE and os.environ.get("COSIGNED_NOTE"):
        body["note"] = os.environ["COSIGNED_NOTE"] + "\n"
    key = (case.headers or {}).get("Idempotency-Key")
    # Spaces and tabs around a header value are not part of it (RFC 9110 section 5.5).
    core = key.strip(" \t") if isinstance(key, str) else None
    if core and WELL_FORMED.match(core):
        case.headers["Idempotency-Key"] = f"{core[:160]}-{uuid.uuid4().hex}"
