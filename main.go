// Command hitmiss explores CSV files in the terminal while showing, live,
// how Streamlit-style data and resource caches behave. Its command line is
// package ui/cli.
package main

import (
	"os"

	"github.com/hitmiss/hitmiss/ui/cli"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	os.Exit(cli.Execute(version, os.Args[1:], cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
