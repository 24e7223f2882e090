#!/usr/bin/env bash
# The Debian packages as a user gets them: builds them with CPack from the build tree, unpacks
# them into a scratch root (dpkg-deb -x: no root rights, nothing touches the machine), then runs
# `campaign-hub --version` and a demo sync from the installed paths (the plugins found beside
# the executable), and builds a scaffolded plugin against the installed SDK.
# Usage: packages.sh <source dir> <build dir>
set -euo pipefail
source_dir=$1 build_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset CAMPAIGN_HUB_PLUGIN_DIR CAMPAIGN_HUB_CONFIG

cpack --config "$build_dir/CPackConfig.cmake" -B "$work/packages" >/dev/null
root=$work/root
for package in campaign-hub campaign-hub-plugins campaign-hub-plugin-dev; do
  deb=$(ls "$work"/packages/"${package}"_*.deb)
  dpkg-deb -x "$deb" "$root"
  echo "$package: $(dpkg-deb -f "$deb" Version), $(dpkg-deb -c "$deb" | grep -vc '/$') files"
done
hub=$root/usr/bin/campaign-hub

version=$("$hub" --version)
echo "$version"
[[ $version == "campaign-hub "*" (plugin API "*")" ]] || { echo "unexpected --version" >&2; exit 1; }

# A demo sync: the spreadsheet instance of config/demo.json, from the installed plugin folder.
mkdir -p "$work/demo"
cp -r "$source_dir/config/demo-data" "$work/demo/data"
cat >"$work/demo/campaign-hub.json" <<JSON
{"database": {"url": "sqlite3://$work/demo/hub.db"},
 "instances": [{"name": "partner-spreadsheets", "plugin": "file-import",
                "settings": {"folder": "$work/demo/data", "kind": "scouting"}}]}
JSON
cd "$work/demo"
"$hub" plugins list | grep -q "^file-import " || { echo "installed plugins not found" >&2; exit 1; }
"$hub" sync
campaigns=$("$hub" campaigns list | grep -c "partner-spreadsheets" || true)
echo "demo sync: $campaigns campaigns listed"
[ "$campaigns" -gt 0 ] || { echo "the demo sync stored no campaign" >&2; exit 1; }

# An author's plugin against the installed SDK.
cd "$work"
"$hub" plugins new acme-feed >/dev/null
cmake -S acme-feed -B acme-feed/build -G Ninja -DCMAKE_PREFIX_PATH="$root/usr" >/dev/null
cmake --build acme-feed/build >/dev/null
ctest --test-dir acme-feed/build | tail -1
"$hub" plugins check acme-feed/build/libacme-feed.so
