#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) for subsidy: system packages, then a virtual
# environment in .venv with the project installed editable. Safe to run again.
#   scripts/setup.sh          what `subsidy` needs to run
#   scripts/setup.sh --test   also what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

apt_packages=(
  tesseract-ocr tesseract-ocr-chi-sim        # the card's OCR engine and its Chinese model
  fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei   # CJK fonts for rendering
  poppler-utils                              # pdftoppm, for looking at generated PDFs
  python3-venv
)
# The web service's browser tests drive Debian's chromium (Playwright from PyPI, no browser download);
# its Redis-mode tests use Debian's redis-server.
[ $want_tests = 1 ] && apt_packages+=(chromium redis-server)
# LibreOffice (about 200 MB) turns generated documents into PDFs (`subsidy generate ... --pdf`); the tests
# check those PDFs. Without it the documents are still made as .docx/.xlsx and --pdf says what to install.
[ $want_tests = 1 ] && apt_packages+=(libreoffice-writer-nogui)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
extra=""
[ $want_tests = 1 ] && extra="[test]"
.venv/bin/python -m pip install -q -e ".${extra}"
echo "setup: ready (.venv)"
