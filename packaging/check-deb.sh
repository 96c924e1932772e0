#!/usr/bin/env bash
# Builds the .deb from a configured and built tree with cpack, then checks it with dpkg-deb:
# runtime Depends declared, the binary, the systemd unit (hardened, unprivileged) and the
# configuration file present, the postinst that creates the user. A CTest test (label
# "packaging"). Usage: packaging/check-deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: check-deb.sh BUILD_DIR}" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "check-deb: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 ||
  { cat "$out/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$out"/*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || fail "cpack made no .deb"

info=$(dpkg-deb --info "$deb")
grep -q '^ Package: markaz$' <<<"$info" || fail "package name is not markaz"
depends=$(sed -n 's/^ Depends: //p' <<<"$info")
[ -n "$depends" ] || fail "no Depends field"
for dep in adduser libc6 libstdc++6 libssl3 libsqlite3-0 libsodium23 libicu72 libhyperscan5; do
  [[ ", $depends," == *", $dep "* || ", $depends," == *", $dep,"* ]] ||
    fail "Depends lacks $dep: $depends"
done

contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/markaz ./usr/lib/systemd/system/markaz.service ./etc/markaz/markaz.toml; do
  grep -qE " $path\$" <<<"$contents" || fail "missing $path"
done
grep -qE '^-rwxr-xr-x .* \./usr/bin/markaz$' <<<"$contents" || fail "markaz is not executable"

dpkg-deb -x "$deb" "$out/root"
dpkg-deb -e "$deb" "$out/control"
unit="$out/root/usr/lib/systemd/system/markaz.service"
for line in 'User=markaz' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
            'NoNewPrivileges=yes' 'ReadWritePaths=/var/lib/markaz' \
            'ExecStart=/usr/bin/markaz serve --config /etc/markaz/markaz.toml'; do
  grep -qxF "$line" "$unit" || fail "the unit lacks: $line"
done
grep -qx '/etc/markaz/markaz.toml' "$out/control/conffiles" || fail "markaz.toml is not a conffile"
grep -q 'adduser --system' "$out/control/postinst" || fail "postinst does not create the user"
# The packaged binary runs, and the packaged configuration is valid for it.
"$out/root/usr/bin/markaz" config check "$out/root/etc/markaz/markaz.toml" >/dev/null ||
  fail "the packaged markaz.toml does not pass config check"
echo "check-deb: ok: $(basename "$deb") Depends: $depends"
