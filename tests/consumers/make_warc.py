"""Writes a WARC with warcio, as crawlers that use it do: for each page of PAGES (`*.html` or
`*.html.gz`), a request record and a 200 response record holding the page, served as
http://pages.test/NAME; then, so that the reader has something to pass over, a 404 response,
an image, a metadata record and a revisit. Every third page is sent gzip-encoded and chunked,
every fifth with a charset in its Content-Type.

usage: make_warc.py OUT.warc[.gz] PAGES"""
import gzip
import io
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

out, pages = Path(sys.argv[1]), Path(sys.argv[2])
files = sorted(p for p in pages.iterdir() if p.name.endswith((".html", ".html.gz")))


def chunked(body, size=1000):
    parts = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


with open(out, "wb") as stream:
    writer = WARCWriter(stream, gzip=out.suffix == ".gz")
    for n, page in enumerate(files):
        body = page.read_bytes()
        if page.name.endswith(".gz"):
            body = gzip.decompress(body)
        name = page.name.removesuffix(".gz")
        uri = f"http://pages.test/{name}"
        writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET /" + name.encode() + b" HTTP/1.1\r\n\r\n")))
        content_type = "text/html; charset=utf-8" if n % 5 == 0 else "text/html"
        headers = [("Content-Type", content_type)]
        if n % 3 == 0:
            body = chunked(gzip.compress(body))
            headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
        writer.write_record(record)
    missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://pages.test/gone", "response", payload=io.BytesIO(b"<p>gone</p>"), http_headers=missing))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://pages.test/a.png", "response", payload=io.BytesIO(b"\x89PNG\r\n"), http_headers=image))
    writer.write_record(writer.create_warc_record("http://pages.test/", "metadata", payload=io.BytesIO(b"outlinks: none\r\n"), warc_content_type="application/warc-fields"))
