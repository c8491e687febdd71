package infinitree

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Go types in a schema and their recorded names (the names C++ schema_type_name gives):
// bool "bool", signed integers "int", unsigned "uint", float32/float64 "float", string
// "str", time.Time "time" (keys only), a struct of such fields as a key "(A,B)" (a tuple, its
// fields in order), []T "[T]", *T "T?" (nil: none), map[string]V "{str:V}", and as a value
// a struct with a SchemaName() method: its name, stored as the array of its exported fields
// in order (C++ MSGPACK_DEFINE).

// SchemaNamer is implemented by the struct types stored as values in a schema: the name and
// version of their msgpack layout, the same string as the C++ type's schema_name ("Plant/1").
type SchemaNamer interface{ SchemaName() string }

var (
	timeType  = reflect.TypeFor[time.Time]()
	namerType = reflect.TypeFor[SchemaNamer]()
)

func invalidf(format string, args ...any) error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

func scalarName(t reflect.Type) (string, bool) {
	switch t.Kind() {
	case reflect.Bool:
		return "bool", true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "int", true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "uint", true
	case reflect.Float32, reflect.Float64:
		return "float", true
	case reflect.String:
		return "str", true
	}
	return "", false
}

// keyTypeName is the recorded name of a key type, or an error for a type keys cannot hold.
func keyTypeName(t reflect.Type) (string, error) {
	if n, ok := scalarName(t); ok {
		return n, nil
	}
	if t == timeType {
		return "time", nil
	}
	if t.Kind() == reflect.Struct && t.NumField() > 0 {
		parts := make([]string, t.NumField())
		for i := range parts {
			f := t.Field(i)
			if !f.IsExported() {
				return "", invalidf("key type %v: field %s is not exported", t, f.Name)
			}
			n, ok := scalarName(f.Type)
			if f.Type == timeType {
				n, ok = "time", true
			}
			if !ok {
				return "", invalidf("key type %v: field %s (%v) is not a key component", t, f.Name, f.Type)
			}
			parts[i] = n
		}
		return "(" + strings.Join(parts, ",") + ")", nil
	}
	return "", invalidf("%v is not a key type (bool, integers, floats, string, time.Time, or a struct of them as a tuple)", t)
}

// keyParts are the parts Key encodes for a key value of a type keyTypeName accepted.
func keyParts(v reflect.Value) []any {
	if v.Kind() == reflect.Struct && v.Type() != timeType {
		parts := make([]any, v.NumField())
		for i := range parts {
			parts[i] = keyPart(v.Field(i))
		}
		return parts
	}
	return []any{keyPart(v)}
}

func keyPart(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float() // a float64 component, as C++ encodes a float or a double
	case reflect.Bool:
		return v.Bool()
	case reflect.String:
		return v.String()
	}
	return v.Interface() // time.Time
}

// setKey stores decoded key parts into dst (a key of type keyTypeName accepted).
func setKey(dst reflect.Value, parts []any) error {
	if dst.Kind() == reflect.Struct && dst.Type() != timeType {
		if len(parts) != dst.NumField() {
			return invalidf("stored key has %d parts, %v has %d", len(parts), dst.Type(), dst.NumField())
		}
		for i, p := range parts {
			if err := setKeyPart(dst.Field(i), p); err != nil {
				return invalidf("stored key part %d: %v", i, err)
			}
		}
		return nil
	}
	if len(parts) != 1 {
		return invalidf("stored key has %d parts, %v has 1", len(parts), dst.Type())
	}
	return setKeyPart(dst, parts[0])
}

func setKeyPart(dst reflect.Value, p any) error {
	switch x := p.(type) {
	case int64:
		return setInt(dst, strconv.FormatInt(x, 10))
	case uint64:
		return setInt(dst, strconv.FormatUint(x, 10))
	case float64:
		if dst.Kind() == reflect.Float32 || dst.Kind() == reflect.Float64 {
			dst.SetFloat(x)
			return nil
		}
	case bool:
		if dst.Kind() == reflect.Bool {
			dst.SetBool(x)
			return nil
		}
	case string:
		if dst.Kind() == reflect.String {
			dst.SetString(x)
			return nil
		}
	case time.Time:
		if dst.Type() == timeType {
			dst.Set(reflect.ValueOf(x))
			return nil
		}
	}
	return invalidf("expected %v, found %T", dst.Type(), p)
}

// valueTypeName is the recorded name of a value type, or an error for one values cannot hold.
func valueTypeName(t reflect.Type) (string, error) {
	if n, ok := scalarName(t); ok {
		return n, nil
	}
	switch {
	case t == timeType:
		return "", invalidf("time.Time is a key type only: msgpack keeps a time value as an ext type, which the bindings do not encode")
	case t.Implements(namerType) && t.Kind() == reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				return "", invalidf("value type %v: field %s is not exported (every field is stored, in order)", t, f.Name)
			}
			if _, err := valueTypeName(f.Type); err != nil {
				return "", err
			}
		}
		return reflect.Zero(t).Interface().(SchemaNamer).SchemaName(), nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		n, err := valueTypeName(t.Elem())
		return "[" + n + "]", err
	case t.Kind() == reflect.Pointer:
		n, err := valueTypeName(t.Elem())
		return n + "?", err
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		n, err := valueTypeName(t.Elem())
		return "{str:" + n + "}", err
	}
	return "", invalidf("%v is not a schema value type (bool, integers, floats, string, a slice, a pointer (optional), "+
		"map[string]V, or a struct with a SchemaName method)", t)
}

// toPlain is the JSON-able form of a value of a type valueTypeName accepted.
func toPlain(v reflect.Value, where string) (any, error) {
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint(), nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, invalidf("%s: %v cannot be stored (NaN and infinities have no JSON form)", where, f)
		}
		return f, nil
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return nil, invalidf("%s: the string is not UTF-8", where)
		}
		return v.String(), nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		return toPlain(v.Elem(), where)
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			e, err := toPlain(v.Index(i), fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case reflect.Map:
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			k := it.Key().String()
			if !utf8.ValidString(k) {
				return nil, invalidf("%s: a map key is not UTF-8", where)
			}
			e, err := toPlain(it.Value(), fmt.Sprintf("%s[%q]", where, k))
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	case reflect.Struct:
		out := make([]any, v.NumField())
		for i := range out {
			e, err := toPlain(v.Field(i), where+"."+v.Type().Field(i).Name)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	return nil, invalidf("%s: %v cannot be stored", where, v.Type())
}

func plainKind(j any) string {
	switch j.(type) {
	case nil:
		return "nil"
	case bool:
		return "a bool"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("%T", j)
}

func setInt(dst reflect.Value, text string) error {
	switch dst.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(text, 10, dst.Type().Bits())
		if err != nil {
			return invalidf("expected an integer that fits %v, found %s", dst.Type(), text)
		}
		dst.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(text, 10, dst.Type().Bits())
		if err != nil {
			return invalidf("expected an integer that fits %v, found %s", dst.Type(), text)
		}
		dst.SetUint(n)
		return nil
	}
	return invalidf("expected %v, found the integer %s", dst.Type(), text)
}

// fromPlain stores a decoded JSON-able value into dst, refusing any other shape than dst's
// type (a struct takes an array of exactly its number of fields).
func fromPlain(dst reflect.Value, j any, where string) error {
	bad := func() error { return invalidf("%s: expected %v, found %s", where, dst.Type(), plainKind(j)) }
	switch dst.Kind() {
	case reflect.Bool:
		b, ok := j.(bool)
		if !ok {
			return bad()
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := j.(json.Number)
		if !ok || strings.ContainsAny(string(n), ".eE") {
			return bad()
		}
		if err := setInt(dst, string(n)); err != nil {
			return invalidf("%s: %v", where, err.(*Error).Message)
		}
	case reflect.Float32, reflect.Float64:
		// msgpack-cxx writes an integral double as an integer: both read back as floats.
		n, ok := j.(json.Number)
		if !ok {
			return bad()
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return bad()
		}
		dst.SetFloat(f)
	case reflect.String:
		s, ok := j.(string)
		if !ok {
			return bad()
		}
		dst.SetString(s)
	case reflect.Pointer:
		if j == nil {
			dst.SetZero()
			return nil
		}
		e := reflect.New(dst.Type().Elem())
		if err := fromPlain(e.Elem(), j, where); err != nil {
			return err
		}
		dst.Set(e)
	case reflect.Slice:
		a, ok := j.([]any)
		if !ok {
			return bad()
		}
		s := reflect.MakeSlice(dst.Type(), len(a), len(a))
		for i, e := range a {
			if err := fromPlain(s.Index(i), e, fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Map:
		m, ok := j.(map[string]any)
		if !ok {
			return bad()
		}
		out := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, e := range m {
			ev := reflect.New(dst.Type().Elem()).Elem()
			if err := fromPlain(ev, e, fmt.Sprintf("%s[%q]", where, k)); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), ev)
		}
		dst.Set(out)
	case reflect.Struct:
		// C++ msgpack-cxx tolerates a short array (missing members keep defaults); here a
		// value of another length is refused, so a layout change cannot go unnoticed.
		a, ok := j.([]any)
		if !ok || len(a) != dst.NumField() {
			name := dst.Type().String()
			if n, ok := reflect.Zero(dst.Type()).Interface().(SchemaNamer); ok {
				name = n.SchemaName()
			}
			return invalidf("%s: expected %s, an array of %d fields, found %s", where, name, dst.NumField(), plainKind(j))
		}
		for i, e := range a {
			if err := fromPlain(dst.Field(i), e, where+"."+dst.Type().Field(i).Name); err != nil {
				return err
			}
		}
	default:
		return bad()
	}
	return nil
}

// packValue and unpackValue are the stored bytes of a typed value and back.
func packValue[T any](v T, where string) ([]byte, error) {
	plain, err := toPlain(reflect.ValueOf(&v).Elem(), where)
	if err != nil {
		return nil, err
	}
	return packJSON(plain)
}

func unpackValue[T any](raw []byte, where string) (T, error) {
	var v T
	j, err := unpackJSON(raw)
	if err != nil {
		return v, invalidf("%s: the stored value is not a value of %v: %v", where, reflect.TypeFor[T](), err.(*Error).Message)
	}
	if err := fromPlain(reflect.ValueOf(&v).Elem(), j, where); err != nil {
		return v, err
	}
	return v, nil
}
