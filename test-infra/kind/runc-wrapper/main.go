// runc-wrapper drops CAP_SYS_RESOURCE from an OCI spec, then runs the real runc.
//
// The VMs this project is tested on have no CAP_SYS_RESOURCE in their capability bounding
// set, so runc fails with "unable to apply caps" for every privileged container (kind's
// nodes, `docker exec --privileged`). Removing that one capability from the requested sets
// is the smallest change that lets them start; nothing else in the spec is touched.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

const realRunc = "/usr/sbin/runc"
const dropped = "CAP_SYS_RESOURCE"

// runc's global options that take a separate value; they precede the command.
var globalWithValue = map[string]bool{"--root": true, "--log": true, "--log-format": true, "--criu": true, "--rootless": true}

func main() {
	args := os.Args[1:]
	for _, path := range specFiles(args) {
		if err := dropCapability(path); err != nil {
			fmt.Fprintf(os.Stderr, "runc-wrapper: %s: %v\n", path, err)
			os.Exit(1)
		}
	}
	argv := append([]string{realRunc}, args...)
	if err := syscall.Exec(realRunc, argv, os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "runc-wrapper: exec %s: %v\n", realRunc, err)
		os.Exit(1)
	}
}

// specFiles finds the JSON documents that carry capabilities: the bundle's config.json
// for create/run, and the --process file for exec.
func specFiles(args []string) []string {
	var files []string
	command, bundle := "", ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func() string {
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "-") {
				return v
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "--bundle" || a == "-b" || strings.HasPrefix(a, "--bundle="):
			bundle = value()
		case a == "--process" || a == "-p" || strings.HasPrefix(a, "--process="):
			files = append(files, value())
		case command == "" && globalWithValue[a]:
			i++
		case command == "" && !strings.HasPrefix(a, "-"):
			command = a
		}
	}
	if command == "create" || command == "run" {
		if bundle == "" {
			bundle = "."
		}
		files = append(files, filepath.Join(bundle, "config.json"))
	}
	return files
}

func dropCapability(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	// config.json nests capabilities under "process"; an exec process file is the process.
	proc := doc
	if p, ok := doc["process"].(map[string]any); ok {
		proc = p
	}
	caps, ok := proc["capabilities"].(map[string]any)
	if !ok {
		return nil
	}
	changed := false
	for set, list := range caps {
		items, ok := list.([]any)
		if !ok {
			continue
		}
		kept := items[:0]
		for _, c := range items {
			if c == dropped {
				changed = true
				continue
			}
			kept = append(kept, c)
		}
		caps[set] = kept
	}
	if !changed {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}
