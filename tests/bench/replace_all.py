"""One `didChange` of N changes to a 5 MB filled document (the filled
example repeated), to its diagnostics, over stdio (BENCHMARKS.md): a
replace-all of its `2027-06-30` dates, every other one with a line break
put in, sent as eglot sends it, from the top down (each change in the
text the ones before left). Usage: replace_all.py BIN N [RUNS]"""

import json
import os
import subprocess
import sys
import time

bin_, n = sys.argv[1], int(sys.argv[2])
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
example = open(os.path.join(repo, "examples/review-filled.md"), encoding="utf-8").read()
text = example * (5_000_000 // len(example))

# Top down: the lines below a change that put in a line break move down by
# one. (A date is at most once on a line here.)
changes, shift = [], 0
for row, line in enumerate(text.split("\n")):
    col = line.find("2027-06-30")
    if col < 0:
        continue
    new = "2027-06-29" if len(changes) % 2 else "2027-06-29\n"
    start = {"line": row + shift, "character": col}
    changes.append({"range": {"start": start, "end": {"line": row + shift, "character": col + 10}}, "text": new})
    shift += new.count("\n")
    if len(changes) == n:
        break
assert len(changes) == n, f"the document has {len(changes)} dates, fewer than {n}"


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def timed_run():
    p = subprocess.Popen([bin_, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def send(message):
        p.stdin.write(frame(message))
        p.stdin.flush()

    def until(wanted):
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                header += p.stdout.read(1)
            length = next(int(l.split(b":")[1]) for l in header.split(b"\r\n") if l.lower().startswith(b"content-length"))
            message = json.loads(p.stdout.read(length))
            if wanted(message):
                return message

    def published(version):
        return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": None, "capabilities": {"general": {"positionEncodings": ["utf-8"]}}}})
    until(lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///bench/replace-all.md"
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    until(published(1))
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": changes}})
    until(published(2))
    took = (time.perf_counter() - t) * 1000
    p.kill()
    return took


times = sorted(timed_run() for _ in range(runs))
print(f"{n} changes from the top down: median {times[len(times) // 2]:.0f} ms ({', '.join(f'{t:.0f}' for t in times)})")
