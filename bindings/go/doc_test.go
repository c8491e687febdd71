package infinitree_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"testing"
)

// docs/go.md names the example functions its snippets come from; they must exist (go test
// runs them and checks their output).
func TestDocExamplesExist(t *testing.T) {
	doc, err := os.ReadFile("../../docs/go.md")
	if err != nil {
		t.Skip("docs/go.md not found next to the module: ", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "example_test.go", nil, 0)
	must(t, err)
	defined := map[string]bool{}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			defined[fn.Name.Name] = true
		}
	}
	names := regexp.MustCompile("`(Example[A-Za-z_]*)`").FindAllStringSubmatch(string(doc), -1)
	if len(names) < 4 {
		t.Fatalf("docs/go.md names only %d examples", len(names))
	}
	for _, m := range names {
		if !defined[m[1]] {
			t.Errorf("docs/go.md refers to %s, which example_test.go does not define", m[1])
		}
	}
}
