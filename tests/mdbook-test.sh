#!/usr/bin/env bash
# Runs `mdbook test` against one clean build of nmf-core.
#
# mdbook passes rustdoc only `-L DIR`, and rustdoc refuses a folder holding
# two builds of the same crate (E0464), which target/debug/deps soon does.
# So copy exactly the artifacts of one `cargo build -p nmf-core --lib`
# into a folder of their own and point mdbook there.
set -euo pipefail
cd "$(dirname "$0")/.."

libs=target/mdbook-libs
rm -rf "$libs"
mkdir -p "$libs"
cargo build -p nmf-core --lib --message-format=json \
  | grep -o '"filenames":\[[^]]*\]' \
  | sed -e 's/"filenames":\[//' -e 's/\]$//' \
  | tr ',' '\n' | tr -d '"' \
  | grep '/deps/' \
  | while read -r file; do
      # The rlib of a workspace member is listed under its uplifted name;
      # the hashed copy sits next to the listed rmeta.
      cp "$file" "$libs/"
      if [ "${file%.rmeta}" != "$file" ] && [ -f "${file%.rmeta}.rlib" ]; then
        cp "${file%.rmeta}.rlib" "$libs/"
      fi
    done
mdbook test -L "$libs"
