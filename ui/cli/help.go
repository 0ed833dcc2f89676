package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// helpWidth is the width help is wrapped to: a terminal's 80 columns.
const helpWidth = 80

// writeHelp writes c's help: what it does, its usage line, its
// subcommands, examples, then its flags, its own first and then each
// group's under the group's title, wrapped to helpWidth.
func writeHelp(w io.Writer, c *cobra.Command) {
	c.InitDefaultHelpFlag()
	var b strings.Builder
	about := c.Long
	if about == "" {
		about = c.Short
	}
	b.WriteString(strings.TrimSpace(about) + "\n\nUsage:\n  " + c.UseLine() + "\n")
	var subs []*cobra.Command
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() {
			subs = append(subs, s)
		}
	}
	if len(subs) > 0 {
		b.WriteString("  " + c.CommandPath() + " COMMAND [flags]\n\nCommands:\n")
		width := 0
		for _, s := range subs {
			width = max(width, len(s.Use))
		}
		for _, s := range subs {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, s.Use, s.Short)
		}
	}
	if c.Example != "" {
		b.WriteString("\nExamples:\n" + strings.TrimRight(c.Example, "\n") + "\n")
	}
	b.WriteString(flagSections(c))
	if len(subs) > 0 {
		fmt.Fprintf(&b, "\nRun '%s COMMAND --help' for a command's own flags and examples.\n", c.CommandPath())
	}
	io.WriteString(w, b.String())
}

// flagSections lists c's flags: its own under "Flags", the shared ones
// under their group's title, aligned in one column across all sections.
func flagSections(c *cobra.Command) string {
	sections := map[string][]*pflag.Flag{}
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		g := "Flags"
		if a := f.Annotations[groupAnnotation]; len(a) == 1 {
			g = a[0]
		}
		sections[g] = append(sections[g], f)
	})
	lefts := map[*pflag.Flag]string{}
	col := 0
	for _, fs := range sections {
		for _, f := range fs {
			lefts[f] = flagName(f)
			col = max(col, len(lefts[f]))
		}
	}
	col = min(col, 28) + 4 // two to indent, two between the name and its help
	var b strings.Builder
	for _, title := range append([]string{"Flags"}, groupOrder...) {
		if len(sections[title]) == 0 {
			continue
		}
		b.WriteString("\n" + title + ":\n")
		for _, f := range sections[title] {
			b.WriteString(flagLine(lefts[f], flagUsage(c, f), col))
		}
	}
	return b.String()
}

// flagName is "-d, --delimiter C" or "    --ttl DUR".
func flagName(f *pflag.Flag) string {
	s := "    --" + f.Name
	if f.Shorthand != "" {
		s = "-" + f.Shorthand + ", --" + f.Name
	}
	name, _ := pflag.UnquoteUsage(f)
	switch name {
	case "duration":
		name = "DUR"
	case "int":
		name = "N"
	case "string":
		name = "TEXT"
	}
	if name != "" {
		s += " " + name
	}
	return s
}

// flagUsage is f's help text and its default in c, when it has one.
func flagUsage(c *cobra.Command, f *pflag.Flag) string {
	_, usage := pflag.UnquoteUsage(f)
	def := f.DefValue
	if d, ok := c.Annotations[defaultAnnotation+f.Name]; ok {
		def = d
	}
	switch def {
	case "", "0", "0s", "false", "[]":
	default:
		usage += " (default " + def + ")"
	}
	return usage
}

// flagLine is one flag's entry: its name indented by two, its help from
// column col, wrapped to helpWidth (on the next line when the name is
// wider than col).
func flagLine(left, usage string, col int) string {
	var b strings.Builder
	b.WriteString("  " + left)
	at := 2 + len(left)
	if at+2 > col {
		b.WriteString("\n")
		at = 0
	}
	line := 0
	for _, word := range strings.Fields(usage) {
		if line > 0 && at+1+len([]rune(word)) > helpWidth {
			b.WriteString("\n")
			at, line = 0, 0
		}
		if line == 0 {
			b.WriteString(strings.Repeat(" ", col-at))
			at = col
		} else {
			b.WriteString(" ")
			at++
		}
		b.WriteString(word)
		at += len([]rune(word))
		line++
	}
	b.WriteString("\n")
	return b.String()
}
