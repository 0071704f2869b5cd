#!/usr/bin/env python3
"""Writes the single-file page: index.html with the whole app (the script
built with -sSINGLE_FILE, which holds the WebAssembly and the data) inlined,
so the file opens from the file system with no server.

usage: web_single_file.py INDEX_HTML SINGLE_JS OUT_HTML
"""
import sys


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    index_path, script_path, out_path = sys.argv[1:]
    with open(index_path, encoding="utf-8") as f:
        page = f.read()
    with open(script_path, encoding="utf-8") as f:
        script = f.read()
    if "</script" in script.lower():
        print(f"{script_path}: holds '</script', which would end the inline script early", file=sys.stderr)
        return 1
    marker = "</body>"
    if marker not in page:
        print(f"{index_path}: no </body> to put the app before", file=sys.stderr)
        return 1
    # index.html runs an inline copy when it finds one (id convlab-code).
    inline = '<script id="convlab-code" type="text/plain">' + script + "</script>\n"
    page = page.replace(marker, inline + marker, 1)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(page)
    print(f"convlab: single file written to {out_path} ({len(page) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
