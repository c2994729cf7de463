#!/usr/bin/env bash
# Regenerate the translation catalogue from the sources, then compile it.
#   resources/i18n/update.sh          lupdate (keeps existing translations) + lrelease
# Edit Chinese in command_center_zh_CN.ts (Qt Linguist or any editor), then run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.venv/bin
sources=$(ls ui/*.py ui/models/*.py widgets/*.py)
# shellcheck disable=SC2086
"$bin/pyside6-lupdate" -no-obsolete -locations none $sources -ts resources/i18n/command_center_zh_CN.ts
"$bin/pyside6-lrelease" resources/i18n/command_center_zh_CN.ts -qm resources/i18n/command_center_zh_CN.qm
