"""Crawls PAGES with wget into OUT/crawl.warc.gz, as a user with a real crawl would have it:
a web server on 127.0.0.1 (loopback only, an ephemeral port, stopped when done) serves each
file of PAGES with the Content-Type CHARSETS gives it (a JSON object, file name → charset; a
file not named is served without one), and `wget --warc-file` fetches every page once.

usage: crawl_with_wget.py OUT PAGES CHARSETS_JSON"""
import json
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

out, pages, charsets = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])


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
    with tempfile.TemporaryDirectory() as scratch:
        urls = Path(scratch) / "urls.txt"
        urls.write_text("".join(f"http://127.0.0.1:{port}/{p.name}\n" for p in sorted(pages.iterdir())))
        subprocess.run(
            ["wget", "--quiet", "--tries=1", "--timeout=20", "--no-proxy", "-P", scratch,
             "-i", str(urls), f"--warc-file={out / 'crawl'}"],
            check=True,
        )
finally:
    server.shutdown()
