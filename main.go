// Command hitmiss explores CSV files in the terminal while showing, live,
// how Streamlit-style data and resource caches behave.
package main

import (
	"flag"
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/ui"
)

var version = "dev"

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println("hitmiss", version)
		return
	}
	reg := cache.NewRegistry()
	if _, err := tea.NewProgram(ui.New(reg), tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "hitmiss:", err)
		os.Exit(1)
	}
}
