// peer_go.go - a peer of pytriage in the benchmark (bench.sh): the same job
// on a collector report (`pytest --json=PATH`) the way a Go tool around
// pytest reads it: os.ReadFile, then encoding/json's Unmarshal of the whole
// array into a slice of structs holding the fields it needs (Buildkite's
// test engine client reads the report this way).  Standard library only;
// not part of pytriage itself.
//
// The job: the last `result` of each node ID (scope + "::" + name, or name
// alone when scope is ""); print, one per line, the node IDs whose last
// result is "failed", each once, in the order of their first record.  A
// record without `result` is not failed.
//
// Usage: go run peer_go.go REPORT    (bench.sh builds it with go build)
// Exits 0; 2 on a bad report or a read error.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// A record of the collector's report, the fields a test runner keeps.
type record struct {
	ID       string `json:"id"`
	Scope    string `json:"scope"`
	Name     string `json:"name"`
	Location string `json:"location"`
	FileName string `json:"file_name"`
	Result   string `json:"result"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: peer_go REPORT")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer_go:", err)
		os.Exit(2)
	}
	var records []record
	if err := json.Unmarshal(data, &records); err != nil {
		fmt.Fprintf(os.Stderr, "peer_go: %s: %v\n", os.Args[1], err)
		os.Exit(2)
	}

	index := make(map[string]int) // node ID -> its place in ids
	var ids []string              // node IDs in the order of their first record
	var failed []bool             // last result was "failed"
	for i := range records {
		r := &records[i]
		id := r.Name
		if r.Scope != "" {
			id = r.Scope + "::" + r.Name
		}
		k, ok := index[id]
		if !ok {
			k = len(ids)
			index[id] = k
			ids = append(ids, id)
			failed = append(failed, false)
		}
		failed[k] = r.Result == "failed"
	}

	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	for k, id := range ids {
		if failed[k] {
			w.WriteString(id)
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "peer_go: write:", err)
		os.Exit(2)
	}
}
