#!/bin/sh
# mkdeb.sh BUILD VERSION — packages an installed shodo tree as a Debian
# binary package (what `make deb` runs after `make install DESTDIR=...`).
#
#   BUILD/deb/root     the tree `make install DESTDIR=... PREFIX=/usr` wrote
#   BUILD/deb/*.deb    the package; its path is printed on the last line
#
# The version is the Makefile's VERSION plus the commit it was built from
# (0.1.0+git20250520.1a2b3c4, and "+dirty" when tracked files differ), so
# that `dpkg -l shodo` on the stick names the exact source.  Depends comes
# from dpkg-shlibdeps: the Debian packages of the libraries the binary links.
set -eu
build=$(cd "${1:?usage: mkdeb.sh BUILD VERSION}" && pwd)
version=${2:?usage: mkdeb.sh BUILD VERSION}
top=$(cd "$(dirname "$0")/.." && pwd)
root=$build/deb/root
[ -x "$root/usr/bin/shodo" ] || { echo "shodo: mkdeb: '$root/usr/bin/shodo' is missing (run make deb)" >&2; exit 3; }
command -v dpkg-shlibdeps >/dev/null || { echo "shodo: mkdeb: dpkg-shlibdeps is missing (Debian package dpkg-dev)" >&2; exit 3; }

if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	version=$version+git$(git -C "$top" log -1 --format=%cd.%h --date=format:%Y%m%d)
	[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] || version=$version+dirty
fi
arch=$(dpkg --print-architecture)

# dpkg-shlibdeps wants a source package around the binary
work=$build/deb/shlibdeps
rm -rf "$work" && mkdir -p "$work/debian"
printf 'Source: shodo\n\nPackage: shodo\nArchitecture: any\n' > "$work/debian/control"
deps=$(cd "$work" && dpkg-shlibdeps -O "$root/usr/bin/shodo" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
rm -rf "$work"
[ -n "$deps" ] || { echo "shodo: mkdeb: dpkg-shlibdeps found no dependencies" >&2; exit 3; }

# man pages are compressed in Debian packages
find "$root/usr/share/man" -type f -name '*.[0-9]' -exec gzip -9nf {} + 2>/dev/null || true
mkdir -p "$root/DEBIAN" "$root/usr/share/doc/shodo"
cp "$top/README.md" "$root/usr/share/doc/shodo/README.md"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: shodo
Version: $version
Architecture: $arch
Maintainer: shodo <shodo@localhost>
Installed-Size: $size
Depends: $deps
Section: admin
Priority: optional
Description: forensic imaging and triage kit
 shodo images disks into E01 or raw files with hashes and a chain of
 custody, and triages Windows evidence (event logs, registry hives,
 prefetch, accounts, ransom notes) into a case folder.
EOF
deb=$build/deb/shodo_${version}_$arch.deb
rm -f "$build"/deb/shodo_*.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
