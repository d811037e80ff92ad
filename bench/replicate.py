"""Grows TREE to N files by adding copies under TREE/copy-K/: distinct paths, and each copy's
text edited a little (a line appended) so that copies are near, not exact, duplicates.
Usage: replicate.py TREE N"""
import os
import sys

tree, target = sys.argv[1], int(sys.argv[2])
originals = sorted(
    os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs if "/copy-" not in os.path.join(d, f)
)
existing = sum(len(fs) for _, _, fs in os.walk(tree))
copy = 0
while existing < target:
    copy += 1
    for path in originals:
        if existing >= target:
            break
        out = os.path.join(tree, f"copy-{copy}", os.path.relpath(path, tree))
        if os.path.exists(out):
            continue
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(path, "rb") as f:
            data = f.read()
        with open(out, "wb") as f:
            f.write(data + f"\n\nCopy {copy} of this article.\n".encode())
        existing += 1
