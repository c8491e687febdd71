// Compiled by the layering.* ctests with one layer's include path and one header
// (-DLAYERING_PROBE_HEADER=<layer/file.hpp>): a header of a layer above must not be found.
#include LAYERING_PROBE_HEADER

int main() { return 0; }
