module github.com/libinfinitree/infinitree-go/bench

go 1.23

require github.com/libinfinitree/infinitree-go v0.0.0

replace github.com/libinfinitree/infinitree-go => ../../bindings/go
