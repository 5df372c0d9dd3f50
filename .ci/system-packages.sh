#!/usr/bin/env sh
# Debian packages the test suite needs; installs the missing ones when run as root.
#   WeasyPrint's pango and fonts, pdftoppm (weekly report PDFs rendered to PNG);
#   promtool, amtool, Prometheus and Alertmanager (rule tests and the end-to-end alert test);
#   systemd-analyze (unit files verified).
set -eu
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
prometheus prometheus-alertmanager systemd"
missing=""
for package in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
  echo "missing Debian packages:$missing" >&2
  echo "install them with: sudo apt-get install$missing" >&2
  exit 1
fi
