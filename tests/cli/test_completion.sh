# `infinitree completion bash|zsh|fish` and `infinitree man`: each script parses in its shell
# and offers every command of --help; bash and fish are asked for completions as a user's
# Tab would; the man page renders without groff warnings and documents every command.
source "$(dirname "$0")/lib.sh" "$@"

# The commands, as --help lists them.
"$BIN" --help > "$WORK/help"
awk '/^Commands:/ { f = 1; next } /^$/ { f = 0 } f && /^  [a-z]/ { print $1 }' "$WORK/help" > "$WORK/commands"
[ "$(wc -l < "$WORK/commands")" -ge 20 ] || fail "too few commands in --help: $(tr '\n' ' ' < "$WORK/commands")"
grep -qx completion "$WORK/commands" && grep -qx man "$WORK/commands" || fail "--help lacks completion/man"

# --- bash ------------------------------------------------------------------------------------
ok completion bash
cp "$OUT" "$WORK/c.bash"
bash -n "$WORK/c.bash" || fail "the bash completion script does not parse"
# complete WORDS...: what Tab offers after these words (the last one is being typed).
bash_complete() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _infinitree; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$WORK/c.bash" "$@" | LC_ALL=C sort
}
[ "$(bash_complete infinitree '')" = "$(LC_ALL=C sort "$WORK/commands")" ] ||
  fail "bash offers other commands than --help: $(bash_complete infinitree '' | tr '\n' ' ')"
[ "$(bash_complete infinitree --store /x res)" = restore ] || fail "bash: 'res' after a global option"
bash_complete infinitree store --exc > "$WORK/b1"
[ "$(cat "$WORK/b1")" = "$(printf -- '--exclude\n--exclude-caches\n--exclude-file')" ] ||
  fail "bash: store --exc gives $(tr '\n' ' ' < "$WORK/b1")"
bash_complete infinitree restore - > "$WORK/b2"
for o in --include --exclude --at --overwrite --store --json; do grep -qx -- "$o" "$WORK/b2" || fail "bash: restore - lacks $o"; done
! grep -qx -- --exclude-caches "$WORK/b2" || fail "bash: restore offers store's --exclude-caches"
[ -z "$(bash_complete infinitree restore --include '')" ] || fail "bash: a pattern value was completed"
mkdir -p "$WORK/dir/sub"; touch "$WORK/dir/file1"
[ "$(bash_complete infinitree --password-file "$WORK/dir/fi")" = "$WORK/dir/file1" ] || fail "bash: no file name after --password-file"

# --- zsh -------------------------------------------------------------------------------------
ok completion zsh
cp "$OUT" "$WORK/c.zsh"
head -1 "$WORK/c.zsh" | grep -qx '#compdef infinitree' || fail "zsh: no #compdef line"
while read -r c; do grep -q "^    '$c:" "$WORK/c.zsh" || fail "zsh: command $c missing"; done < "$WORK/commands"
if command -v zsh >/dev/null; then
  zsh -n "$WORK/c.zsh" || fail "the zsh completion script does not parse"
else
  echo "zsh not installed (scripts/install-deps.sh installs it): zsh -n skipped"
fi

# --- fish ------------------------------------------------------------------------------------
ok completion fish
cp "$OUT" "$WORK/c.fish"
if command -v fish >/dev/null; then
  fish -n "$WORK/c.fish" || fail "the fish completion script does not parse"
  fish_complete() { HOME="$WORK" fish --no-config -c "source $WORK/c.fish; complete -C '$1'" | cut -f1 | LC_ALL=C sort; }
  [ "$(fish_complete 'infinitree ')" = "$(LC_ALL=C sort "$WORK/commands")" ] ||
    fail "fish offers other commands than --help: $(fish_complete 'infinitree ' | tr '\n' ' ')"
  fish_complete 'infinitree store --exc' > "$WORK/f1"
  [ "$(cat "$WORK/f1")" = "$(printf -- '--exclude\n--exclude-caches\n--exclude-file')" ] ||
    fail "fish: store --exc gives $(tr '\n' ' ' < "$WORK/f1")"
else
  while read -r c; do grep -q -- "-a $c -d" "$WORK/c.fish" || fail "fish: command $c missing"; done < "$WORK/commands"
  echo "fish not installed (scripts/install-deps.sh installs it): fish -n skipped"
fi

code 1 completion tcsh
err_has "bash, zsh or fish"

# --- man page --------------------------------------------------------------------------------
ok man
cp "$OUT" "$WORK/infinitree.1"
groff -man -Tutf8 -ww -z "$WORK/infinitree.1" 2> "$WORK/groff.err" || fail "groff failed: $(cat "$WORK/groff.err")"
[ ! -s "$WORK/groff.err" ] || fail "groff warnings: $(cat "$WORK/groff.err")"
groff -man -Tascii -P-cbou -rLL=200n "$WORK/infinitree.1" > "$WORK/man.txt"
while read -r c; do grep -q "^   $c\$" "$WORK/man.txt" || fail "the man page has no section for $c"; done < "$WORK/commands"
for text in "--include VALUE" "--config VALUE" "EXIT STATUS" "wrong credentials" "$("$BIN" --version)"; do
  grep -qF -- "$text" "$WORK/man.txt" || fail "the man page lacks '$text'"
done
done_ok
