#!/usr/bin/env bash
# A filled review rewritten by the real tools reviewers run over markdown:
# Prettier (format on save), markdownlint-cli2 --fix with a team's style
# (asterisk bullets, `__` bold, three spaces after a list marker), remark
# and mdformat (pre-commit hooks), and pandoc (markdown to markdown, and a round trip through a Word document,
# which loses the marker comments, and to pandoc's own markdown, which is
# not read and must be reported so). Each rewrite must lint clean, export
# the same goals as the review as rendered, and still report canon text
# edited in each kind of quote (check.py); rows wrapped over several
# lines (pandoc's default, 72 columns; Prettier's `--prose-wrap always`,
# 80) must be reported as wrapped rows, and read the same after
# `goalframe lint --fix`. Needs GOALFRAME_BIN; installs
# the tools into .test-cache/ once (npm; mdformat, and pandoc from PyPI's
# pypandoc_binary wheel).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -x "${GOALFRAME_BIN:-}" ]] || { echo "error: set GOALFRAME_BIN to the built binary" >&2; exit 1; }
PRETTIER_VERSION=3.10.2
MARKDOWNLINT_VERSION=0.22.1
REMARK_CLI_VERSION=12.0.1
REMARK_GFM_VERSION=4.0.1
PYPANDOC_VERSION=1.17
MDFORMAT_VERSION=1.0.0
MDFORMAT_GFM_VERSION=1.0.0
NODE_TOOLS="$REPO/.test-cache/formatters-$PRETTIER_VERSION-$MARKDOWNLINT_VERSION-$REMARK_CLI_VERSION-$REMARK_GFM_VERSION"
VENV="$REPO/.test-cache/formatters-venv-$PYPANDOC_VERSION-$MDFORMAT_VERSION-$MDFORMAT_GFM_VERSION"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

if [[ ! -x "$NODE_TOOLS/node_modules/.bin/prettier" ]]; then
  # Installed beside and moved into place when complete.
  rm -rf "$NODE_TOOLS.partial"
  timeout 600 npm install --prefix "$NODE_TOOLS.partial" --no-save --no-package-lock --no-progress \
    "prettier@$PRETTIER_VERSION" "markdownlint-cli2@$MARKDOWNLINT_VERSION" \
    "remark-cli@$REMARK_CLI_VERSION" "remark-gfm@$REMARK_GFM_VERSION" </dev/null >/dev/null
  mv "$NODE_TOOLS.partial" "$NODE_TOOLS"
fi
source "$REPO/tests/support/pip_venv.sh"
pip_venv "$VENV" "pypandoc_binary==$PYPANDOC_VERSION" "mdformat==$MDFORMAT_VERSION" \
  "mdformat-gfm==$MDFORMAT_GFM_VERSION"
PANDOC="$("$VENV/bin/python" -c 'import pypandoc; print(pypandoc.get_pandoc_path())')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# The review as rendered and filled in.
"$GOALFRAME_BIN" render ae P2 --frame all --format markdown |
  sed -e 's/⟨baseline⟩/12 deals/g' -e 's/⟨target⟩/20 deals/g' -e 's/⟨date⟩/2027-06-30/g' >review.md

cp review.md prettier.md
"$NODE_TOOLS/node_modules/.bin/prettier" --log-level warn --write prettier.md
cp review.md prettier-wrapped.md
"$NODE_TOOLS/node_modules/.bin/prettier" --log-level warn --prose-wrap always --write prettier-wrapped.md

cp review.md markdownlint.md
cat >.markdownlint-cli2.jsonc <<'JSON'
{
  "config": {
    "default": true,
    "MD013": false,
    "MD004": { "style": "asterisk" },
    "MD049": { "style": "underscore" },
    "MD050": { "style": "underscore" },
    "MD030": { "ul_single": 3, "ul_multi": 3, "ol_single": 2, "ol_multi": 2 }
  }
}
JSON
# It fixes what it can and reports the rest (exit 1): only the rewrite matters.
"$NODE_TOOLS/node_modules/.bin/markdownlint-cli2" --fix markdownlint.md >/dev/null 2>&1 || true

# Both take out escapes a reader does not need (`\[source: …\]`); mdformat
# numbers every item `1.`.
cp review.md remark.md
"$NODE_TOOLS/node_modules/.bin/remark" --use "$NODE_TOOLS/node_modules/remark-gfm/index.js" \
  remark.md --output remark.md 2>/dev/null
cp review.md mdformat.md
"$VENV/bin/mdformat" mdformat.md

"$PANDOC" review.md --from gfm --to gfm --wrap=none --output pandoc.md
# pandoc's default: lines wrapped at 72 columns.
"$PANDOC" review.md --from gfm --to gfm --output pandoc-wrapped.md
"$PANDOC" review.md --from gfm --output review.docx
"$PANDOC" review.docx --to gfm --wrap=none --output word-round-trip.md
# What `pandoc review.docx -o review.md` gives: pandoc's own markdown
# (`---` for `—`, a multiline table), which is not read, and must say so.
"$PANDOC" review.docx --output pandoc-own.md
# Headings underlined (setext), as pandoc before 2.11.2 (Ubuntu 22.04's)
# wrote them: read by the marker comments in GitHub markdown, reported in
# pandoc's own.
"$PANDOC" review.md --from gfm --to gfm --wrap=none --markdown-headings=setext --output pandoc-setext.md
"$PANDOC" review.docx --markdown-headings=setext --output pandoc-own-setext.md

"$VENV/bin/python" "$REPO/tests/formatters/check.py" "$GOALFRAME_BIN" review.md \
  prettier.md markdownlint.md remark.md mdformat.md pandoc.md word-round-trip.md wrapped:pandoc-wrapped.md \
  wrapped:prettier-wrapped.md pandoc-setext.md unread:pandoc-own.md unread:pandoc-own-setext.md
