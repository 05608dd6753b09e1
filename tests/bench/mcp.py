"""Latency of `goalframe mcp` tools over stdio (BENCHMARKS.md): raw
JSON-RPC lines to the built binary, each request timed from write to
answer. Usage: mcp.py BIN CANON_DIR DOC_1MB [SAMPLES]"""

import json
import random
import subprocess
import sys
import time

bin_, canon, doc = sys.argv[1:4]
samples = int(sys.argv[4]) if len(sys.argv) > 4 else 300
p = subprocess.Popen([bin_, "mcp", "--canon", canon], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
next_id = 0


def ask(method, params):
    global next_id
    next_id += 1
    line = json.dumps({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params}) + "\n"
    t = time.perf_counter()
    p.stdin.write(line.encode())
    p.stdin.flush()
    answer = json.loads(p.stdout.readline())
    took = (time.perf_counter() - t) * 1000
    assert answer.get("id") == next_id, answer
    return answer, took


t0 = time.perf_counter()
ask("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
p.stdin.flush()
load = (time.perf_counter() - t0) * 1000
roles = ask("tools/call", {"name": "list_roles", "arguments": {"limit": 100000}})[0]["result"]["structuredContent"]["roles"]
rng = random.Random(7)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def run(name, args_of, n):
    times = []
    for _ in range(n):
        answer, took = ask("tools/call", {"name": name, "arguments": args_of()})
        assert not answer["result"].get("isError"), answer
        times.append(took)
    print(f"| `{name}` | {n} | {pct(times, 0.5):.2f} ms | {pct(times, 0.99):.2f} ms |")


def role_level():
    r = rng.choice(roles)
    return r["id"], rng.choice(r["levels"])


print(f"canon: {len(roles)} roles, {sum(len(r['levels']) for r in roles)} role-levels; start-up and canon load {load:.0f} ms")
print()
print("| tool | requests | p50 | p99 |")
print("| --- | --- | --- | --- |")
run("render_frame", lambda: dict(zip(["role", "level"], role_level()), frame="all", format="markdown"), samples)
run("describe_role", lambda: dict(zip(["role", "level"], role_level())), samples)
run("list_roles", lambda: {"query": rng.choice(roles)["title"][:4], "limit": 20}, samples)
text = open(doc, encoding="utf-8").read()
run("lint_document", lambda: {"text": text, "filename": "draft.md"}, 30)
run("export_goals", lambda: {"text": text, "filename": "draft.md"}, 30)
p.stdin.close()
p.wait(timeout=30)
