#!/usr/bin/env python3
# Fails when a file with user-visible, translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in lists a file that no longer exists:
# a string in such a file would silently never reach translators.
#
# Usage: check-potfiles.py SOURCE_ROOT
#
# What counts as translatable:
#   - C sources under src/: a call of _(), N_(), C_(), NC_(), Q_(), ngettext(),
#     g_dngettext() or g_dpgettext2(), outside comments;
#   - GtkBuilder files under src/: an element with translatable="yes";
#   - under data/: the desktop file, the metainfo and the settings schema
#     (*.desktop.in, *.metainfo.xml.in, *.gschema.xml).
# A file may be listed in po/POTFILES.skip to say "it has such calls, but none
# of them is for a user" (none is, today).
import pathlib
import re
import sys

C_CALL = re.compile(r'(?<![\w.>])(?:N?C?_|Q_|ngettext|g_dngettext|g_dpgettext2?|g_dcgettext)\s*\(')
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"', re.IGNORECASE)
DATA_PATTERNS = ('*.desktop.in', '*.metainfo.xml.in', '*.gschema.xml')


def strip_c_comments(text):
    """The C text without its comments; string and character literals kept."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '/' and text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif c == '/' and text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def has_translatable_strings(path):
    text = path.read_text(encoding='utf-8', errors='replace')
    if path.suffix in ('.c', '.h'):
        return C_CALL.search(strip_c_comments(text)) is not None
    if path.suffix == '.ui':
        return UI_TRANSLATABLE.search(text) is not None
    return True


def candidates(root):
    for pattern in ('*.c', '*.h', '*.ui'):
        yield from (root / 'src').rglob(pattern)
    for pattern in DATA_PATTERNS:
        yield from (root / 'data').glob(pattern)


def read_list(path):
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding='utf-8').splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            entries.append(line)
    return entries


def main():
    if len(sys.argv) != 2:
        print(__doc__ or 'usage: check-potfiles.py SOURCE_ROOT', file=sys.stderr)
        return 2

    root = pathlib.Path(sys.argv[1]).resolve()
    listed = read_list(root / 'po' / 'POTFILES.in')
    skipped = set(read_list(root / 'po' / 'POTFILES.skip'))

    needed = sorted({p.relative_to(root).as_posix()
                     for p in candidates(root) if has_translatable_strings(p)})
    missing = [f for f in needed if f not in listed and f not in skipped]
    stale = [f for f in listed if not (root / f).is_file()]
    duplicates = sorted({f for f in listed if listed.count(f) > 1})

    for f in missing:
        print(f'po/POTFILES.in: missing {f} (it has translatable strings)')
    for f in stale:
        print(f'po/POTFILES.in: lists {f}, which does not exist')
    for f in duplicates:
        print(f'po/POTFILES.in: lists {f} more than once')

    if missing or stale or duplicates:
        return 1
    print(f'po/POTFILES.in: all {len(needed)} files with translatable strings are listed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
