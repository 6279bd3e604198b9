#!/usr/bin/env python3
"""Checks the translations in po/.

Every language in po/LINGUAS must pass `msgfmt --check`. Each language named
with --complete must also be in step with the sources: a template extracted
now from the files in po/POTFILES.in is merged into it, and not one string may
come out untranslated or fuzzy. To bring a translation back in step:

    ninja -C build magic-hour-studio-pot magic-hour-studio-update-po
    # translate the new and fuzzy entries in po/LANG.po, then run the tests

Usage: check-po.py --source-root DIR [--complete LANG]...
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

# The keywords of meson's i18n.gettext(preset: 'glib'), which makes the real
# template: the same calls must be found here.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def msgids(po_path, *filters):
    """The msgids msgattrib selects with FILTERS, one line each."""
    result = run(['msgattrib', '--no-obsolete', '--no-wrap', *filters, str(po_path)])
    ids = []
    for line in result.stdout.splitlines():
        if line.startswith('msgid "') and line != 'msgid ""':
            ids.append(line[len('msgid '):])
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--source-root', required=True, type=pathlib.Path)
    parser.add_argument('--complete', action='append', default=[], metavar='LANG')
    options = parser.parse_args()

    root = options.source_root.resolve()
    po_dir = root / 'po'
    languages = [line.strip() for line in (po_dir / 'LINGUAS').read_text().splitlines()
                 if line.strip() and not line.startswith('#')]
    failures = 0

    for lang in languages:
        po = po_dir / f'{lang}.po'
        if not po.is_file():
            print(f'po/LINGUAS names {lang}, but po/{lang}.po does not exist')
            failures += 1
            continue
        result = run(['msgfmt', '--check', '--statistics', '-o', '/dev/null', str(po)])
        stats = result.stderr.strip().splitlines()
        if result.returncode != 0:
            print(f'po/{lang}.po: msgfmt --check failed:\n{result.stderr}')
            failures += 1
        else:
            print(f'po/{lang}.po: {stats[-1] if stats else "ok"}')

    for lang in options.complete:
        po = po_dir / f'{lang}.po'
        if lang not in languages or not po.is_file():
            print(f'{lang} should be complete, but it is not in po/LINGUAS or has no .po')
            failures += 1
            continue

        with tempfile.TemporaryDirectory() as tmp:
            pot = pathlib.Path(tmp) / 'current.pot'
            merged = pathlib.Path(tmp) / f'{lang}.po'
            result = run(['xgettext', *XGETTEXT_ARGS,
                          '--files-from', str(po_dir / 'POTFILES.in'),
                          '--directory', str(root), '--output', str(pot)])
            if result.returncode != 0:
                print(f'xgettext failed:\n{result.stderr}')
                failures += 1
                continue
            result = run(['msgmerge', '--quiet', '--output-file', str(merged), str(po), str(pot)])
            if result.returncode != 0:
                print(f'msgmerge failed:\n{result.stderr}')
                failures += 1
                continue

            untranslated = msgids(merged, '--untranslated')
            fuzzy = msgids(merged, '--only-fuzzy')
            if untranslated or fuzzy:
                failures += 1
                print(f'po/{lang}.po is not in step with the sources: '
                      f'{len(untranslated)} untranslated, {len(fuzzy)} fuzzy')
                for msgid in untranslated:
                    print(f'  untranslated: {msgid}')
                for msgid in fuzzy:
                    print(f'  fuzzy:        {msgid}')
                print('Run: ninja -C <build> magic-hour-studio-pot magic-hour-studio-update-po, '
                      f'then translate them in po/{lang}.po')
            else:
                total = len(msgids(merged))
                print(f'po/{lang}.po: all {total} strings of the current sources translated')

    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
