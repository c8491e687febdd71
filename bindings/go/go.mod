module github.com/libinfinitree/infinitree-go

go 1.23
