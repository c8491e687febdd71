package infinitree

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
)

// Typed schemas (docs/data-model.md, "Typed schema"): a tree's fields declared once, as a
// struct of typed field handles, opened together by OpenSchema, with the schema's name,
// version and each field's kind and types recorded in the tree -- the record, checks and
// stored bytes of C++ (include/infinitree/schema.hpp), so each reads what the other wrote:
//
//	type Plant struct {
//		Name   string
//		Height float64
//	}
//	func (Plant) SchemaName() string { return "Plant/1" } // names its msgpack layout
//
//	type PlantKey struct { // a key struct is a tuple: ("fern", 1)
//		Name string
//		N    int64
//	}
//
//	type Garden struct {
//		Plants *MapField[PlantKey, Plant] `infinitree:"plants"`
//		Tags   *SetField[string]          `infinitree:"tags"`
//	}
//
//	var g Garden
//	err := OpenSchema(tree, "garden", 1, &g) // a *Tree records it if new; a *View is checked
//	err = g.Plants.Put(PlantKey{"fern", 1}, Plant{"fern", 0.4})
//
// Errors, as in C++: another schema name or version is ErrVersion; a field stored with
// another kind or types, a declared field not in the record, a recorded field not declared
// is ErrInvalid naming the field and both types; a checkout without a record is
// ErrNotFound. A stored value that does not fit its Go type is ErrInvalid.

// SchemaRecordField is the value field holding the record (C++ Schema::kRecordField).
const SchemaRecordField = "infinitree.schema"

// SchemaRecord is what a tree records about its schema: msgpack [name, version, [[field, type], ...]].
type SchemaRecord struct {
	Name    string
	Version uint32
	Fields  [][2]string // {field, "map<str,Plant/1>"} in declaration order
}

// FieldSource is a *Tree (the working state) or a *View (a checkout).
type FieldSource interface {
	Map(name string) (*Map, error)
	Set(name string) (*Set, error)
	List(name string) (*List, error)
	Value(name string) (*Value, error)
	Fields() ([]FieldInfo, error)
	HasField(name string) (bool, error)
}

// schemaField is implemented by the field handles a schema struct holds.
type schemaField interface {
	kind() FieldType
	typeName() (string, error)
	open(src FieldSource, name string) error
	close() error
}

var schemaFieldType = reflect.TypeFor[schemaField]()

// StoredSchema is the record of the working state or a checkout; ok is false without one.
func StoredSchema(src FieldSource) (rec SchemaRecord, ok bool, err error) {
	if has, err := src.HasField(SchemaRecordField); err != nil || !has {
		return rec, false, err
	}
	v, err := src.Value(SchemaRecordField)
	if err != nil {
		return rec, false, err
	}
	defer v.Close()
	raw, err := v.Get()
	if errors.Is(err, ErrNotFound) {
		return rec, false, nil
	} else if err != nil {
		return rec, false, err
	}
	bad := invalidf("the value field '%s' is not a schema record", SchemaRecordField)
	j, err := unpackJSON(raw)
	if err != nil {
		return rec, false, bad
	}
	var plain struct {
		Name    string
		Version uint32
		Fields  [][]string
	}
	// The record is an array of three: reuse the struct decoding of values.
	if err := fromPlain(reflect.ValueOf(&plain).Elem(), j, "record"); err != nil {
		return rec, false, bad
	}
	rec = SchemaRecord{Name: plain.Name, Version: plain.Version}
	for _, f := range plain.Fields {
		if len(f) != 2 {
			return SchemaRecord{}, false, bad
		}
		rec.Fields = append(rec.Fields, [2]string{f[0], f[1]})
	}
	return rec, true, nil
}

// ForgetSchema removes the record from the working state (the next commit persists it), so
// that the next declaration records itself: the last step of a migration. True if there was
// one. Data fields are untouched.
func ForgetSchema(t *Tree) (bool, error) {
	has, err := t.HasField(SchemaRecordField)
	if err != nil || !has {
		return false, err
	}
	return true, t.DropField(SchemaRecordField)
}

// OpenSchema checks the schema struct that schema points to against the record of src and
// opens its fields. Every exported field of the struct is a *MapField, *SetField,
// *ListField or *ValueField (allocated here), named by its `infinitree:"name"` tag (default:
// the Go field name). On a *Tree without a record the declaration is recorded in the working
// state (the next commit persists it); a *View is only checked. Nothing is created or
// recorded when a check fails.
func OpenSchema(src FieldSource, name string, version uint32, schema any) error {
	pv := reflect.ValueOf(schema)
	if pv.Kind() != reflect.Pointer || pv.IsNil() || pv.Elem().Kind() != reflect.Struct {
		return invalidf("OpenSchema needs a pointer to a struct of fields, not %T", schema)
	}
	if name == "" {
		return invalidf("a schema needs a name")
	}
	tree, writable := src.(*Tree)
	stored, ok, err := StoredSchema(src)
	if err != nil {
		return err
	}
	if !ok && !writable {
		return &Error{Code: CodeNotFound, Message: fmt.Sprintf("this version of the tree has no schema record (schema '%s')", name)}
	}
	if ok && (stored.Name != name || stored.Version != version) {
		return &Error{Code: CodeVersion, Message: fmt.Sprintf(
			"the tree holds schema '%s' version %d, this program declares '%s' version %d (migrate the data, then ForgetSchema the old record)",
			stored.Name, stored.Version, name, version)}
	}
	infos, err := src.Fields()
	if err != nil {
		return err
	}
	kinds := map[string]FieldType{}
	for _, f := range infos {
		kinds[f.Name] = f.Type
	}
	recorded := map[string]string{}
	for _, f := range stored.Fields {
		recorded[f[0]] = f[1]
	}
	type decl struct {
		field string
		index int // of the struct field
		f     schemaField
	}
	var decls []decl
	declared := SchemaRecord{Name: name, Version: version}
	s := pv.Elem()
	for i := 0; i < s.NumField(); i++ {
		sf := s.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		if !sf.Type.Implements(schemaFieldType) || sf.Type.Kind() != reflect.Pointer {
			return invalidf("schema '%s': struct field %s is a %v, not a *MapField, *SetField, *ListField or *ValueField", name, sf.Name, sf.Type)
		}
		field := sf.Name
		if tag := sf.Tag.Get("infinitree"); tag != "" {
			field = tag
		}
		f := reflect.New(sf.Type.Elem()).Interface().(schemaField)
		typ, err := f.typeName()
		if err != nil {
			return invalidf("schema '%s': field '%s': %v", name, field, err.(*Error).Message)
		}
		where := fmt.Sprintf("schema '%s': field '%s'", name, field)
		for _, d := range declared.Fields {
			if d[0] == field {
				return invalidf("%s is declared twice", where)
			}
		}
		if field == SchemaRecordField {
			return invalidf("%s is the schema record's own field", where)
		}
		if k, has := kinds[field]; has && k != f.kind() {
			return invalidf("%s is a %v in the tree, declared as %s", where, k, typ)
		}
		if ok {
			st, has := recorded[field]
			if !has {
				return invalidf("%s (%s) is not in the stored schema", where, typ)
			}
			if st != typ {
				return invalidf("%s is stored as %s, declared as %s", where, st, typ)
			}
		}
		declared.Fields = append(declared.Fields, [2]string{field, typ})
		decls = append(decls, decl{field, i, f})
	}
	if ok {
		for _, f := range stored.Fields {
			if _, has := declaredField(declared, f[0]); !has {
				return invalidf("schema '%s': the stored field '%s' (%s) is not declared", name, f[0], f[1])
			}
		}
	} else {
		fields := make([]any, len(declared.Fields))
		for i, f := range declared.Fields {
			fields[i] = []any{f[0], f[1]}
		}
		raw, err := packJSON([]any{name, version, fields})
		if err != nil {
			return err
		}
		v, err := tree.Value(SchemaRecordField)
		if err != nil {
			return err
		}
		err = v.Set(raw)
		v.Close()
		if err != nil {
			return err
		}
	}
	// The struct is filled only when every field opened, so a failed OpenSchema leaves it as
	// it was.
	for j, d := range decls {
		if err := d.f.open(src, d.field); err != nil {
			for _, o := range decls[:j] {
				o.f.close()
			}
			return err
		}
	}
	for _, d := range decls {
		s.Field(d.index).Set(reflect.ValueOf(d.f))
	}
	return nil
}

func declaredField(r SchemaRecord, field string) (string, bool) {
	for _, f := range r.Fields {
		if f[0] == field {
			return f[1], true
		}
	}
	return "", false
}

// MapField is a map field with keys K and values V (recorded as "map<K,V>").
type MapField[K, V any] struct {
	m    *Map
	name string
}

func (f *MapField[K, V]) kind() FieldType { return FieldMap }
func (f *MapField[K, V]) typeName() (string, error) {
	k, err := keyTypeName(reflect.TypeFor[K]())
	if err != nil {
		return "", err
	}
	v, err := valueTypeName(reflect.TypeFor[V]())
	return "map<" + k + "," + v + ">", err
}
func (f *MapField[K, V]) open(src FieldSource, name string) (err error) {
	f.name = name
	f.m, err = src.Map(name)
	return err
}

// Map is the field's untyped handle (stored bytes).
func (f *MapField[K, V]) Map() *Map { return f.m }

// Close releases the field's handle.
func (f *MapField[K, V]) Close() error { return f.m.Close() }
func (f *MapField[K, V]) close() error { return f.m.Close() }

func encodeKey[K any](k K) ([]byte, error) {
	return Key(keyParts(reflect.ValueOf(&k).Elem())...)
}

func decodeKey[K any](raw []byte) (K, error) {
	var k K
	parts, err := DecodeKey(raw)
	if err != nil {
		return k, err
	}
	return k, setKey(reflect.ValueOf(&k).Elem(), parts)
}

// Get is the value of k; ok is false if k is absent.
func (f *MapField[K, V]) Get(k K) (v V, ok bool, err error) {
	key, err := encodeKey(k)
	if err != nil {
		return v, false, err
	}
	raw, err := f.m.Get(key)
	if errors.Is(err, ErrNotFound) {
		return v, false, nil
	} else if err != nil {
		return v, false, err
	}
	v, err = unpackValue[V](raw, fmt.Sprintf("field '%s' key %v", f.name, k))
	return v, err == nil, err
}

// Put sets k to v.
func (f *MapField[K, V]) Put(k K, v V) error {
	key, err := encodeKey(k)
	if err != nil {
		return err
	}
	raw, err := packValue(v, "value of field '"+f.name+"'")
	if err != nil {
		return err
	}
	return f.m.Put(key, raw)
}

// Delete removes k; true if it was there.
func (f *MapField[K, V]) Delete(k K) (bool, error) {
	key, err := encodeKey(k)
	if err != nil {
		return false, err
	}
	return f.m.Delete(key)
}

// Contains reports whether k is there.
func (f *MapField[K, V]) Contains(k K) (bool, error) {
	key, err := encodeKey(k)
	if err != nil {
		return false, err
	}
	return f.m.Contains(key)
}

// Len is the number of keys.
func (f *MapField[K, V]) Len() (int, error) { return f.m.Len() }

// Pair is one key and value of a MapField.
type Pair[K, V any] struct {
	Key   K
	Value V
}

// All yields every pair in key order; an error is yielded once, with a zero Pair, and ends
// the sequence (as Map.All).
func (f *MapField[K, V]) All() iter.Seq2[Pair[K, V], error] {
	return func(yield func(Pair[K, V], error) bool) {
		for e, err := range f.m.All() {
			var p Pair[K, V]
			if err == nil {
				p.Key, err = decodeKey[K](e.Key)
			}
			if err == nil {
				p.Value, err = unpackValue[V](e.Value, fmt.Sprintf("field '%s' key %v", f.name, p.Key))
			}
			if err != nil {
				yield(Pair[K, V]{}, err)
				return
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

// SetField is a set field of keys K (recorded as "set<K>").
type SetField[K any] struct {
	s *Set
}

func (f *SetField[K]) kind() FieldType { return FieldSet }
func (f *SetField[K]) typeName() (string, error) {
	k, err := keyTypeName(reflect.TypeFor[K]())
	return "set<" + k + ">", err
}
func (f *SetField[K]) open(src FieldSource, name string) (err error) {
	f.s, err = src.Set(name)
	return err
}

// Close releases the field's handle.
func (f *SetField[K]) Close() error { return f.s.Close() }
func (f *SetField[K]) close() error { return f.s.Close() }

// Insert adds k; true if it was not there.
func (f *SetField[K]) Insert(k K) (bool, error) {
	key, err := encodeKey(k)
	if err != nil {
		return false, err
	}
	return f.s.Insert(key)
}

// Contains reports whether k is there.
func (f *SetField[K]) Contains(k K) (bool, error) {
	key, err := encodeKey(k)
	if err != nil {
		return false, err
	}
	return f.s.Contains(key)
}

// Delete removes k; true if it was there.
func (f *SetField[K]) Delete(k K) (bool, error) {
	key, err := encodeKey(k)
	if err != nil {
		return false, err
	}
	return f.s.Delete(key)
}

// Len is the number of keys.
func (f *SetField[K]) Len() (int, error) { return f.s.Len() }

// All yields every key in order (an error once, ending the sequence).
func (f *SetField[K]) All() iter.Seq2[K, error] {
	return func(yield func(K, error) bool) {
		for raw, err := range f.s.All() {
			var k K
			if err == nil {
				k, err = decodeKey[K](raw)
			}
			if !yield(k, err) || err != nil {
				return
			}
		}
	}
}

// ListField is a list field of elements T (recorded as "list<T>").
type ListField[T any] struct {
	l    *List
	name string
}

func (f *ListField[T]) kind() FieldType { return FieldList }
func (f *ListField[T]) typeName() (string, error) {
	t, err := valueTypeName(reflect.TypeFor[T]())
	return "list<" + t + ">", err
}
func (f *ListField[T]) open(src FieldSource, name string) (err error) {
	f.name = name
	f.l, err = src.List(name)
	return err
}

// Close releases the field's handle.
func (f *ListField[T]) Close() error { return f.l.Close() }
func (f *ListField[T]) close() error { return f.l.Close() }

// Push appends v and returns its position.
func (f *ListField[T]) Push(v T) (int, error) {
	raw, err := packValue(v, "element of field '"+f.name+"'")
	if err != nil {
		return 0, err
	}
	return f.l.Push(raw)
}

// Get is element i (ErrNotFound past the end).
func (f *ListField[T]) Get(i int) (T, error) {
	raw, err := f.l.Get(i)
	if err != nil {
		var zero T
		return zero, err
	}
	return unpackValue[T](raw, fmt.Sprintf("field '%s' [%d]", f.name, i))
}

// Set replaces element i.
func (f *ListField[T]) Set(i int, v T) error {
	raw, err := packValue(v, "element of field '"+f.name+"'")
	if err != nil {
		return err
	}
	return f.l.Set(i, raw)
}

// Len is the number of elements.
func (f *ListField[T]) Len() (int, error) { return f.l.Len() }

// ValueField is a value field holding one T (recorded as "value<T>").
type ValueField[T any] struct {
	v    *Value
	name string
}

func (f *ValueField[T]) kind() FieldType { return FieldValue }
func (f *ValueField[T]) typeName() (string, error) {
	t, err := valueTypeName(reflect.TypeFor[T]())
	return "value<" + t + ">", err
}
func (f *ValueField[T]) open(src FieldSource, name string) (err error) {
	f.name = name
	f.v, err = src.Value(name)
	return err
}

// Close releases the field's handle.
func (f *ValueField[T]) Close() error { return f.v.Close() }
func (f *ValueField[T]) close() error { return f.v.Close() }

// Get is the value; ok is false if it is unset.
func (f *ValueField[T]) Get() (v T, ok bool, err error) {
	raw, err := f.v.Get()
	if errors.Is(err, ErrNotFound) {
		return v, false, nil
	} else if err != nil {
		return v, false, err
	}
	v, err = unpackValue[T](raw, "field '"+f.name+"'")
	return v, err == nil, err
}

// Set stores v.
func (f *ValueField[T]) Set(v T) error {
	raw, err := packValue(v, "value of field '"+f.name+"'")
	if err != nil {
		return err
	}
	return f.v.Set(raw)
}

// Reset unsets the value.
func (f *ValueField[T]) Reset() error { return f.v.Reset() }
