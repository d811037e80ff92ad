"""Runs every SQL and Python block of README.md's "Reading it" section, as written, in WORKDIR
(where `out/` is a lede run's dataset): the README's examples cannot drift from what works.
Prints JSON: each block's language and what it gave (rows for SQL statements)."""
import json
import os
import re
import sys

import duckdb

readme, workdir = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
start = text.index("\n## Reading it\n")
section = text[start : text.index("\n## ", start + 1)]
blocks = re.findall(r"```(sql|python)\n(.*?)```", section, re.S)
os.chdir(workdir)
ran = []
for language, code in blocks:
    if language == "sql":
        for statement in code.split(";"):
            lines = [line for line in statement.splitlines() if line.strip() and not line.strip().startswith("--")]
            if lines:
                ran.append({"language": "sql", "rows": len(duckdb.sql(statement).fetchall())})
    else:
        scope = {}
        exec(compile(code, "README.md", "exec"), scope)
        ran.append({"language": "python", "rows": len(scope["articles"].collect() if hasattr(scope["articles"], "collect") else scope["articles"])})
print(json.dumps(ran))
