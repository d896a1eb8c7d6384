#!/usr/bin/env bash
# Install the Debian packages a step needs when they are missing (fresh machine): gettext for the
# message catalogues, chromium for the browser tests, postgresql for the PostgreSQL test run,
# poppler (pdftotext) and fonts (DejaVu, Latvian letters) for the accreditation report PDF, pango for
# WeasyPrint (the reports' PDFs).
set -euo pipefail
need=()
for dep in "$@"; do
  case "$dep" in
    gettext) command -v msgfmt >/dev/null || need+=(gettext) ;;
    chromium) command -v chromium >/dev/null || need+=(chromium) ;;
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql) ;;
    java) command -v java >/dev/null || need+=(default-jre-headless) ;;
    poppler) command -v pdftotext >/dev/null || need+=(poppler-utils) ;;
    fonts) [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core) ;;
    pango) ldconfig -p | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0) ;;
    *) echo "unknown dependency $dep" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing ${need[*]} (apt-get)…"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
