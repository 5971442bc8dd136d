module localbuild/runc-wrapper

go 1.22
