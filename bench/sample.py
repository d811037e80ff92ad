"""Copies every k-th file of TREE (in sorted order) to OUT so that OUT holds about N files:
a sample that keeps the tree's mix of feeds and formats. Usage: sample.py TREE OUT N"""
import os
import shutil
import sys

tree, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs)
step = max(1, len(files) // n)
for path in files[::step][:n]:
    target = os.path.join(out, os.path.relpath(path, tree))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copy2(path, target)
