#!/usr/bin/env python3
"""Installs the committed npm dependencies into the build tree:
npm ci --ignore-scripts (no install scripts run) from a copy of
package.json and package-lock.json, so the source tree stays clean."""
import os
import shutil
import subprocess
import sys


def main():
    npm, package, lock, outdir = sys.argv[1:5]
    shutil.copy(package, os.path.join(outdir, "package.json"))
    shutil.copy(lock, os.path.join(outdir, "package-lock.json"))
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel=error"], cwd=outdir, check=True)


main()
