#!/usr/bin/env python3
"""Every screenshot the metainfo names is a PNG kept in data/screenshots/, and
every PNG kept there is named: the store page and the repository agree.

Usage: check-screenshots.py METAINFO SCREENSHOT_DIR
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

PREFIX = 'https://raw.githubusercontent.com/mhstudio/MagicHourStudio/main/data/screenshots/'


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    metainfo, folder = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    images = [image.text.strip() for image in ET.parse(metainfo).iter('image')]
    kept = {p.name for p in folder.glob('*.png')}
    problems = []

    if not images:
        problems.append('the metainfo has no screenshots')
    named = set()
    for url in images:
        if not url.startswith(PREFIX):
            problems.append(f'{url} is not under {PREFIX}')
            continue
        name = url[len(PREFIX):]
        named.add(name)
        path = folder / name
        if name not in kept:
            problems.append(f'{url}: data/screenshots/{name} does not exist')
        elif path.read_bytes()[:8] != b'\x89PNG\r\n\x1a\n':
            problems.append(f'data/screenshots/{name} is not a PNG')
    for name in sorted(kept - named):
        problems.append(f'data/screenshots/{name} is not in the metainfo')

    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f'{len(images)} screenshots, all in data/screenshots/')
    return 0


if __name__ == '__main__':
    sys.exit(main())
