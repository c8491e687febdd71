# --version names the project version and the soname of libinfinitree.so, and both agree
# with the library: it_version() (called through ctypes) and the SONAME in its ELF header.
source "$(dirname "$0")/lib.sh" "$@"

ok --version
LINE=$(cat "$OUT")
[[ "$LINE" =~ ^infinitree\ ([0-9]+\.[0-9]+\.[0-9]+)\ \(libinfinitree\.so\.([0-9]+)\)$ ]] ||
  fail "--version printed '$LINE'"
VERSION=${BASH_REMATCH[1]} SOVERSION=${BASH_REMATCH[2]}
ok -V
out_is "$LINE"

LIB="$(dirname "$BIN")/libinfinitree.so"
if [ ! -e "$LIB" ]; then
  echo "skipped the library checks: no $LIB (build the 'infinitree' target)"
  exit 0
fi
# In a sanitizer build the library needs its runtime loaded first: python3 is not built with
# it, so preload the runtime the library links (and leave leak checking to the C++ suites).
PRELOAD=$(ldd "$LIB" | awk '/lib(asan|tsan|ubsan)\.so/ {print $3}' | paste -sd: -)
LIBVERSION=$(LD_PRELOAD="$PRELOAD" ASAN_OPTIONS=detect_leaks=0 python3 -c 'import ctypes,sys; f=ctypes.CDLL(sys.argv[1]).it_version; f.restype=ctypes.c_char_p; print(f().decode())' "$LIB")
[ "$LIBVERSION" = "$VERSION" ] || fail "it_version() is $LIBVERSION, --version says $VERSION"
SONAME=$(objdump -p "$LIB" | awk '$1 == "SONAME" {print $2}')
[ "$SONAME" = "libinfinitree.so.$SOVERSION" ] || fail "the library's SONAME is $SONAME, --version says .so.$SOVERSION"
# The soname's number is the major version while the C ABI is unreleased (0) and after.
[ "${VERSION%%.*}" = "$SOVERSION" ] || fail "major version ${VERSION%%.*} differs from soname .$SOVERSION"
echo "test_version: $TESTS checks passed ($LINE)"
