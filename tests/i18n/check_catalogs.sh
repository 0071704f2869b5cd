#!/bin/sh
# The translation catalogs against the sources (ctest "i18n: ..."):
#   check_catalogs.sh SOURCE_DIR template   po/convlab.pot holds exactly the strings the sources mark
#   check_catalogs.sh SOURCE_DIR LANGUAGE   po/LANGUAGE.po passes msgfmt --check and translates them all
# Each failure names the string (and file) and says which command fixes it.
set -eu
source_dir=$1
what=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$source_dir/scripts/update-po" --pot "$work/fresh.pot"
if [ "$what" = template ]; then
  # Same msgids (and contexts), whatever the order, dates or locations.
  msgcat --no-location --sort-output --no-wrap "$source_dir/po/convlab.pot" | grep -E '^(msgctxt|msgid) ' >"$work/committed"
  msgcat --no-location --sort-output --no-wrap "$work/fresh.pot" | grep -E '^(msgctxt|msgid) ' >"$work/fresh"
  if ! diff -u "$work/committed" "$work/fresh"; then
    echo "po/convlab.pot is out of date with the sources (- committed, + in the sources): run scripts/update-po" >&2
    exit 1
  fi
  echo "po/convlab.pot: $(grep -c '^msgid ' "$work/fresh") strings, as in the sources"
  exit 0
fi
po="$source_dir/po/$what.po"
msgfmt --check --statistics -o /dev/null "$po"
# msgcmp: every string of the sources must have a translation (untranslated
# and fuzzy entries count as missing).
if ! msgcmp "$po" "$work/fresh.pot"; then
  echo "po/$what.po lacks translations of the strings above: run scripts/update-po, then translate them" >&2
  exit 1
fi
if msgattrib --only-fuzzy --no-obsolete "$po" | grep -q '^msgid '; then
  msgattrib --only-fuzzy --no-obsolete "$po" >&2
  echo "po/$what.po has fuzzy (unchecked) translations above: check them and remove the fuzzy flag" >&2
  exit 1
fi
echo "po/$what.po: every string translated"
