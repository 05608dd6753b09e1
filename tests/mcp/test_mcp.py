"""goalframe mcp driven by the official MCP Python SDK (a client that is
not ours) over stdio: tools, prompt and resources listed and called, and
render_frame, lint_document and export_goals compared byte for byte with
the command line's own output for the same input; and a session that
follows the canon and settings edited on disk."""

import asyncio
import json
import os
import subprocess
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import McpError

BIN = os.environ["GOALFRAME_BIN"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def cli(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, cwd=REPO)


def text_of(result):
    return "".join(c.text for c in result.content if c.type == "text")


async def main():
    params = StdioServerParameters(command=BIN, args=["mcp"], cwd=REPO)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as s:
            init = await s.initialize()
            check(init.serverInfo.name == "goalframe", f"server name {init.serverInfo.name}")

            tools = {t.name: t for t in (await s.list_tools()).tools}
            check(set(tools) == {"list_roles", "describe_role", "render_frame", "lint_document", "export_goals"},
                  f"tools {sorted(tools)}")
            for name, req in [("describe_role", ["role"]), ("render_frame", ["role", "level", "frame"]),
                              ("lint_document", ["text"]), ("export_goals", ["text"])]:
                check(sorted(tools[name].inputSchema.get("required", [])) == sorted(req),
                      f"{name} requires {tools[name].inputSchema.get('required')}")
            limit = tools["list_roles"].inputSchema["properties"]["limit"]
            check(limit.get("minimum") == 1, f"list_roles limit {limit}")

            # list_roles ranks as completion does: an alias first.
            r = await s.call_tool("list_roles", {"query": "ae", "limit": 3})
            roles = r.structuredContent["roles"]
            check(not r.isError and roles and roles[0]["id"] == "account-executive-field-sales",
                  f"list_roles ae: {roles[:1]}")
            check(len(roles) <= 3, "list_roles honours limit")
            check("P2" in roles[0]["levels"], "list_roles gives level codes")

            # describe_role: verbatim canon.
            r = await s.call_tool("describe_role", {"role": "ae", "level": "p2"})
            d = r.structuredContent
            check(d["id"] == "account-executive-field-sales" and len(d["levels"]) == 1, "describe_role one level")
            frame_md = cli("render", "ae", "p2", "--frame", "smart", "--format", "markdown").stdout.decode()
            for resp in d["levels"][0]["responsibilities"]:
                check(resp.replace("|", "\\|") in frame_md or resp in frame_md, f"responsibility not in the frame: {resp[:40]}")

            # render_frame: exactly the CLI's bytes, both formats.
            for fmt in ["markdown", "text"]:
                for frame in ["smart", "all"]:
                    r = await s.call_tool("render_frame", {"role": "ae", "level": "p2", "frame": frame, "format": fmt})
                    want = cli("render", "ae", "p2", "--frame", frame, "--format", fmt).stdout.decode()
                    check(not r.isError and text_of(r) == want, f"render_frame {frame} {fmt} differs from the CLI")

            # lint_document: the findings of `lint --format json`.
            draft = open(os.path.join(REPO, "examples/review-draft.md"), encoding="utf-8").read()
            r = await s.call_tool("lint_document", {"text": draft, "filename": "draft.md"})
            want = json.loads(cli("lint", "--format", "json", "--stdin-filename", "draft.md", "-",
                                  stdin=draft.encode()).stdout)["findings"]
            got = r.structuredContent["findings"]
            check(got == want, f"lint_document: {len(got)} findings, the CLI {len(want)}")
            check(any(f["code"] == "unmeasurable-target" for f in got), "lint_document has the goal-quality codes")

            # export_goals: the goals of `export --format json`.
            for name in ["examples/review-draft.md", "examples/review-filled.md"]:
                text = open(os.path.join(REPO, name), encoding="utf-8").read()
                r = await s.call_tool("export_goals", {"text": text, "filename": name})
                want = json.loads(cli("export", "--allow-incomplete", "--format", "json", name).stdout)["goals"]
                got = r.structuredContent
                check(got["goals"] == want, f"export_goals {name} differs from the CLI")
                check(got["ready"] == name.endswith("filled.md"), f"export_goals ready for {name}")
            check(any(p["code"] == "unfilled-placeholder" for p in got["problems"]) is False, "filled has no problems")

            # Errors are tool errors with the CLI's did-you-mean, never a crash.
            r = await s.call_tool("render_frame", {"role": "acount-executive", "level": "p2", "frame": "smart"})
            want = cli("render", "acount-executive", "p2", "--frame", "smart").stderr.decode().strip()
            check(r.isError and "did you mean" in text_of(r) and want == "error: " + text_of(r),
                  f"unknown role: {text_of(r)!r} vs {want!r}")
            r = await s.call_tool("describe_role", {"role": "ae", "level": "Z9"})
            check(r.isError and "its levels are" in text_of(r), f"unknown level: {text_of(r)}")
            r = await s.call_tool("render_frame", {"role": "ae", "level": "p2", "frame": "kpi"})
            check(r.isError and "unknown frame" in text_of(r), f"unknown frame: {text_of(r)}")
            # An unknown tool or missing arguments: an error answer (a
            # protocol error or a tool error), and the server goes on.
            for name, args in [("no_such_tool", {}), ("render_frame", {"role": "ae"})]:
                try:
                    r = await s.call_tool(name, args)
                    check(r.isError, f"{name} {args} is an error")
                except McpError as e:
                    check(bool(str(e)), f"{name}: an error with words")
            big = "x" * (17 << 20)
            r = await s.call_tool("lint_document", {"text": big})
            check(r.isError and "at most" in text_of(r), "a huge document is refused")

            # The prompt: the rendered frame and the rules.
            prompts = [p.name for p in (await s.list_prompts()).prompts]
            check(prompts == ["draft_goals"], f"prompts {prompts}")
            p = await s.get_prompt("draft_goals", {"role": "ae", "level": "p2", "frame": "okr"})
            msg = p.messages[0].content.text
            want = cli("render", "ae", "p2", "--frame", "okr", "--format", "markdown").stdout.decode()
            check(want in msg, "draft_goals holds the frame exactly as rendered")
            check("lint_document" in msg and "exactly as it is" in msg, "draft_goals states the rules")

            # Resources: the role list and one role.
            res = [x.uri for x in (await s.list_resources()).resources]
            check([str(u) for u in res] == ["goalframe://roles"], f"resources {res}")
            templates = [t.uriTemplate for t in (await s.list_resource_templates()).resourceTemplates]
            check(templates == ["goalframe://role/{id}"], f"templates {templates}")
            body = (await s.read_resource("goalframe://role/ae")).contents[0].text
            check(json.loads(body)["id"] == "account-executive-field-sales", "role resource")
            listing = json.loads((await s.read_resource("goalframe://roles")).contents[0].text)
            roles_in_canon = [l.split("\t")[0] for l in cli("canon", "list").stdout.decode().splitlines()
                              if l and not l.startswith(" ")]
            check([r["id"] for r in listing["roles"]] == roles_in_canon, "the role list resource lists every role")


LEVELS = ('{"levels": [{"code": "L1", "name": "Level One", '
          '"dimensions": [{"name": "Scope", "text": "Small things"}]}]}\n')


def role(id, title, duty):
    return ('{"roles": [{"id": "%s", "title": "%s", "family": "Making", "aliases": ["wm"], '
            '"levels": {"L1": {"responsibilities": ["%s"]}}}]}\n' % (id, title, duty))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


async def follows_the_canon():
    """A session outlives edits to the canon and settings on disk: what
    loads is used from then on, by lookups and by the analysis; what does
    not load is reported on standard error and the canon in use stays."""
    with tempfile.TemporaryDirectory() as d:
        write(os.path.join(d, "canon/levels.json"), LEVELS)
        role_file = os.path.join(d, "canon/roles/r.json")
        write(role_file, role("widget-maker", "Widget Maker", "Makes widgets."))
        write(os.path.join(d, "goalframe.toml"), 'canon = ["canon"]\n')
        stderr_path = os.path.join(d, "stderr.log")
        with open(stderr_path, "w") as errlog:
            params = StdioServerParameters(command=BIN, args=["mcp"], cwd=d)
            async with stdio_client(params, errlog=errlog) as (read, wr):
                async with ClientSession(read, wr) as s:
                    await s.initialize()

                    check(await titles(s) == ["Widget Maker"], "the canon of goalframe.toml")
                    check(await until(lambda: write(role_file, role("widget-maker", "Gadget Maker", "Makes gadgets.")),
                                      lambda: titles_are(s, ["Gadget Maker"])),
                          "a role renamed on disk is listed without a restart")
                    r = await s.call_tool("render_frame", {"role": "wm", "level": "L1", "frame": "smart"})
                    check("Makes gadgets." in text_of(r), f"the frame quotes the new canon: {text_of(r)[:200]!r}")

                    broken = role("widget-maker", "Broken", "x").replace('"title"', '"titel"')

                    async def reported():
                        return "the canon in use stays" in open(stderr_path).read()
                    check(await until(lambda: write(role_file, broken), reported),
                          "a broken canon is reported on standard error")
                    check(await titles(s) == ["Gadget Maker"], "a broken canon does not replace the one in use")

                    # Settings that name another canon: the analysis uses it too.
                    write(os.path.join(d, "canon2/levels.json"), LEVELS)
                    write(os.path.join(d, "canon2/r.json"), role("doohickey-maker", "Doohickey Maker", "Makes."))

                    async def codes():
                        r = await s.call_tool("lint_document", {"text": "# Goals\n\n@doohickey-maker/L1\n"})
                        return [f["code"] for f in r.structuredContent["findings"]]
                    check("unknown-role" in await codes(), "before: an unknown role")
                    check(await until(lambda: write(os.path.join(d, "goalframe.toml"), 'canon = ["canon2"]\n'),
                                      lambda: titles_are(s, ["Doohickey Maker"])),
                          "goalframe.toml naming another canon is followed")
                    check("unknown-role" not in await codes(), "lint_document analyses with the new canon")


async def follows_a_nearer_settings_file():
    """A session started in a subfolder reads the settings above it, and
    a `goalframe.toml` made later in the subfolder itself takes over: the
    server watches every folder it looked in, not only the one it found."""
    with tempfile.TemporaryDirectory() as d:
        write(os.path.join(d, "canon/levels.json"), LEVELS)
        write(os.path.join(d, "canon/roles/r.json"), role("widget-maker", "Widget Maker", "Makes widgets."))
        write(os.path.join(d, "canon2/levels.json"), LEVELS)
        write(os.path.join(d, "canon2/r.json"), role("doohickey-maker", "Doohickey Maker", "Makes."))
        write(os.path.join(d, "goalframe.toml"), 'canon = ["canon"]\n')
        team = os.path.join(d, "team")
        os.makedirs(team)
        params = StdioServerParameters(command=BIN, args=["mcp"], cwd=team)
        with open(os.devnull, "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, wr):
                async with ClientSession(read, wr) as s:
                    await s.initialize()

                    check(await titles(s) == ["Widget Maker"], "the settings of the folder above")
                    check(await until(lambda: write(os.path.join(team, "goalframe.toml"), 'canon = ["../canon2"]\n'),
                                      lambda: titles_are(s, ["Doohickey Maker"])),
                          "a goalframe.toml made in the session's own folder takes over")


async def titles(s):
    r = await s.call_tool("list_roles", {})
    return [x["title"] for x in r.structuredContent["roles"]]


async def titles_are(s, want):
    return await titles(s) == want


async def until(change, seen):
    """Makes `change` until `seen()` holds: again each second, 20 times at
    most (the server may begin watching after a first write)."""
    for _ in range(20):
        change()
        for _ in range(20):
            if await seen():
                return True
            await asyncio.sleep(0.05)
    return False


asyncio.run(asyncio.wait_for(main(), 120))
asyncio.run(asyncio.wait_for(follows_the_canon(), 120))
asyncio.run(asyncio.wait_for(follows_a_nearer_settings_file(), 120))
if FAILURES:
    sys.exit(f"{len(FAILURES)} MCP check(s) failed")
print("ok: the MCP Python SDK drove goalframe mcp through every tool, the prompt and the resources")
