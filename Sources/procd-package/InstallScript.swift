/// The tarball's install.sh: POSIX sh that copies the tree into a prefix (/usr/local
/// unless `--prefix` says otherwise) and, with `--uninstall`, takes out exactly that.
///
/// The tool writes the list of what to install into the script, so the script needs no
/// find(1) and uninstalling removes nothing it did not put there: the files, and the
/// folders the install had to create (recorded in share/doc/procd/installed-folders).
struct InstallScript {
    let tree: [TreeEntry]

    /// One line an entry: `dir PATH`, `file MODE PATH`, `unit MODE PATH` (a systemd unit,
    /// whose binary paths follow the prefix) or `link TARGET PATH`.
    var manifest: String {
        var lines = Payload.folders(of: tree).map { "dir \($0)" }
        for entry in tree {
            switch entry.kind {
            case .file(_, let mode):
                let kind = entry.path.hasPrefix("lib/systemd/") ? "unit" : "file"
                lines.append("\(kind) \(String(mode, radix: 8)) \(entry.path)")
            case .link(let target):
                lines.append("link \(target) \(entry.path)")
            }
        }
        return lines.joined(separator: "\n")
    }

    var text: String {
        """
        #!/bin/sh
        # Installs procd from this folder into a prefix (default /usr/local); with
        # --uninstall, removes what an install put there: its files, and the folders it
        # had to create (listed in share/doc/procd/installed-folders).
        set -eu

        usage() {
            echo "usage: ./install.sh [--prefix DIR] [--uninstall]"
        }

        prefix=/usr/local
        uninstall=no
        while [ $# -gt 0 ]; do
            case $1 in
                --prefix) [ $# -ge 2 ] || { usage >&2; exit 2; }; prefix=$2; shift 2 ;;
                --prefix=*) prefix=${1#--prefix=}; shift ;;
                --uninstall) uninstall=yes; shift ;;
                -h|--help) usage; exit 0 ;;
                *) echo "install.sh: error: unknown option '$1'" >&2; usage >&2; exit 2 ;;
            esac
        done
        case $prefix in
            /*) ;;
            *) echo "install.sh: error: the prefix must be an absolute path, not '$prefix'" >&2; exit 2 ;;
        esac
        # The units name the binaries by path: keep to what systemd takes unquoted.
        case $prefix in
            *[!A-Za-z0-9/._+@-]*) echo "install.sh: error: the prefix '$prefix' has a character the systemd units cannot hold; choose another" >&2; exit 2 ;;
        esac
        prefix=${prefix%/}
        here=$(cd "$(dirname "$0")" && pwd)
        record=share/doc/procd/installed-folders
        manifest='\(manifest)'

        if [ "$uninstall" = yes ]; then
            while read -r kind _ path; do
                [ "$kind" = dir ] || rm -f "$prefix/$path"
            done <<EOF
        $manifest
        EOF
            if [ -f "$prefix/$record" ]; then
                folders=$(sort -r "$prefix/$record")
                rm -f "$prefix/$record"
                for folder in $folders; do rmdir "$prefix/$folder" 2>/dev/null || true; done
            fi
            echo "removed procd from ${prefix:-/}"
            exit 0
        fi

        mkdir -p "${prefix:-/}"
        created=
        while read -r kind how path; do
            case $kind in
                dir)
                    if [ ! -d "$prefix/$how" ]; then
                        mkdir "$prefix/$how"
                        created="$created$how
        "
                    fi ;;
                file) cp "$here/$path" "$prefix/$path.new" ;;
                unit) sed "s|/usr/local/bin/|$prefix/bin/|g" "$here/$path" > "$prefix/$path.new" ;;
                link) ln -sfn "$how" "$prefix/$path" ;;
            esac
            case $kind in
                file|unit) chmod "$how" "$prefix/$path.new"; mv -f "$prefix/$path.new" "$prefix/$path" ;;
            esac
        done <<EOF
        $manifest
        EOF
        { if [ -f "$prefix/$record" ]; then cat "$prefix/$record"; fi; printf '%s' "$created"; } | sort -u > "$prefix/$record.new"
        mv -f "$prefix/$record.new" "$prefix/$record"
        echo "installed procd in ${prefix:-/}; $prefix/bin must be on PATH"
        echo "start at login: systemctl --user enable --now procd (see procd(8))"

        """
    }
}
