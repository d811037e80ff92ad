"""Runs SCRIPT (bash, in WORK) while a web server on 127.0.0.1 (loopback only, an ephemeral
port, stopped when done) serves each file of PAGES with the Content-Type CHARSETS gives it (a
JSON object, file name → charset; a file not named is served without one). WORK/urls.txt lists
every page's URL, so SCRIPT can be the README's crawl: `wget --warc-file=… --input-file=urls.txt`.

usage: crawl_with_wget.py WORK PAGES CHARSETS_JSON SCRIPT"""
import json
import os
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

work, pages, charsets, script = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]


class Pages(SimpleHTTPRequestHandler):
    def guess_type(self, path):
        charset = charsets.get(Path(path).name)
        return f"text/html; charset={charset}" if charset else "text/html"

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Pages, directory=str(pages)))
threading.Thread(target=server.serve_forever, daemon=True).start()
try:
    port = server.server_address[1]
    (work / "urls.txt").write_text("".join(f"http://127.0.0.1:{port}/{p.name}\n" for p in sorted(pages.iterdir())))
    # Straight to the server: no proxy a machine may have set.
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"the script failed ({done.returncode}):\n{script}\n{done.stderr}")
finally:
    server.shutdown()
