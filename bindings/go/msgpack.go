package infinitree

// #include <infinitree.h>
import "C"

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Values of typed fields (schema.go) are msgpack written by the library's msgpack-cxx:
// it_msgpack_encode / it_msgpack_decode convert JSON text, so Go stores exactly the bytes
// C++ (infinitree/typed.hpp) and Python store and needs no msgpack module.

// packJSON is the msgpack of a JSON-able value (nil, bool, int64, uint64, float64, string,
// []any, map[string]any).
func packJSON(plain any) ([]byte, error) {
	text, err := json.Marshal(plain)
	if err != nil { // NaN or infinity: JSON has none
		return nil, &Error{Code: CodeInvalid, Message: fmt.Sprintf("value cannot be stored: %v", err)}
	}
	return callBuf(func(out *C.it_buf) C.int {
		return C.it_msgpack_encode(bytesPtr(text), C.size_t(len(text)), out)
	})
}

// unpackJSON is the JSON-able value of one msgpack value, numbers as json.Number (so
// integers keep all 64 bits). ErrInvalid for bytes that are not one msgpack value or hold
// what JSON cannot express (bin, ext, NaN, non-string map keys).
func unpackJSON(raw []byte) (any, error) {
	text, err := callBuf(func(out *C.it_buf) C.int {
		return C.it_msgpack_decode(bytesPtr(raw), C.size_t(len(raw)), out)
	})
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, &Error{Code: CodeInternal, Message: "it_msgpack_decode returned text that is not JSON: " + err.Error()}
	}
	return v, nil
}
