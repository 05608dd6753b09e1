// A markdownlint custom rule flagging the placeholders goalframe flags:
// ⟨word⟩ (1 to 40 characters, one line) and the default look-alikes
// <target>, 〈target〉, {{target}} (and baseline, date). The cheapest rule
// a team would write: a regular expression per line, no markdown parse
// (`parser: "none"`), which gives markdownlint-cli2 its best case.
"use strict";

const PATTERN =
  /⟨[^⟨⟩\r\n]{1,40}⟩|<(target|baseline|date)>|〈(target|baseline|date)〉|\{\{(target|baseline|date)\}\}/gu;

module.exports = {
  names: ["goalframe-placeholders"],
  description: "Unfilled goal placeholder",
  tags: ["goalframe"],
  parser: "none",
  function: (params, onError) => {
    params.lines.forEach((line, i) => {
      PATTERN.lastIndex = 0;
      let m;
      while ((m = PATTERN.exec(line)) !== null) {
        onError({
          lineNumber: i + 1,
          detail: `unfilled placeholder ${m[0]}`,
          range: [m.index + 1, m[0].length],
        });
      }
    });
  },
};
