#!/usr/bin/env python3
"""Writes the single-file page from the built site: index.html with the app's
script, its WebAssembly and its data file inlined (base64), so the one file
opens from the file system with no server and no network. The page hands the
inlined bytes to the app through emscripten's own hooks (Module.wasmBinary,
Module.getPreloadedPackage) instead of fetching them.

usage: web_single_file.py SITE_DIR OUT_HTML
"""
import base64
import os
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    site, out_path = sys.argv[1:]
    parts = {}
    for name in ("index.html", "convlab.js", "convlab.wasm", "convlab.data"):
        path = os.path.join(site, name)
        if not os.path.isfile(path):
            print(f"{path}: missing; build the site first (scripts/web --build-only)", file=sys.stderr)
            return 1
        with open(path, "rb") as f:
            parts[name] = f.read()
    page = parts["index.html"].decode("utf-8")
    script = parts["convlab.js"].decode("utf-8")
    if "</script" in script.lower():
        print("convlab.js holds '</script', which would end the inline script early", file=sys.stderr)
        return 1
    marker = "</body>"
    if marker not in page:
        print("index.html: no </body> to put the app before", file=sys.stderr)
        return 1
    # Plain-text blocks the page decodes before it starts the app (index.html, "convlab-code").
    inline = (
        '<script id="convlab-wasm" type="text/plain">' + base64.b64encode(parts["convlab.wasm"]).decode() + "</script>\n"
        '<script id="convlab-data" type="text/plain">' + base64.b64encode(parts["convlab.data"]).decode() + "</script>\n"
        '<script id="convlab-code" type="text/plain">' + script + "</script>\n"
    )
    page = page.replace(marker, inline + marker, 1)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(page)
    print(f"convlab: single file written to {out_path} ({len(page) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
