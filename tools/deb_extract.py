#!/usr/bin/env python3
"""`dpkg-deb -x DEB DIR` for machines without dpkg (scripts/bench-gpu --debs).

A .deb is an ar archive whose data.tar.{xz,gz,bz2} member holds the files;
only that member is unpacked, below DIR, with tarfile's data filter where the
Python has it (nothing may land outside DIR). Maintainer scripts never run.
"""
import io
import sys
import tarfile


def ar_members(data):
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not a Debian package (no ar header)")
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        yield name, data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size % 2)  # members are 2-byte aligned


def main(argv):
    if len(argv) != 3:
        print("usage: deb_extract.py DEB DIR", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        data = f.read()
    for name, member in ar_members(data):
        if name.startswith("data.tar"):
            if name.endswith(".zst"):
                print(f"{argv[1]}: {name} is zstd, which Python cannot read; unpack it with dpkg-deb", file=sys.stderr)
                return 1
            with tarfile.open(fileobj=io.BytesIO(member)) as tar:
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(argv[2], filter="data")
                else:
                    tar.extractall(argv[2])
            return 0
    print(f"{argv[1]}: no data.tar member", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
