package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
)

// busy is what computes: a spinner line per miss in progress, from its
// EventMiss to its end, and the byte progress of a big load. It owns the
// spinner, which runs only while something computes, so an idle explorer
// schedules no timers and redraws nothing.
type busy struct {
	ctx       *Context
	computing map[string]computing
	progress  progressMsg
	spinning  bool // a spinner tick is scheduled
	spin      spinner.Model
	bar       progress.Model
}

// computing is a miss in progress, from its EventMiss to its end.
type computing struct {
	fn, key, spinner string
	since            time.Time
}

func newBusy(ctx *Context) *busy {
	return &busy{
		ctx:       ctx,
		computing: map[string]computing{},
		spin:      spinner.New(spinner.WithSpinner(spinner.Line)), // ASCII: every terminal font has it
		bar:       progress.New(progress.WithDefaultGradient(), progress.WithWidth(30)),
	}
}

// any reports whether something computes.
func (b *busy) any() bool { return len(b.computing) > 0 }

// record follows a cache event: a miss starts computing, its completion
// or error ends it, a clear ends every computation of its function.
func (b *busy) record(ev cache.Event) {
	id := ev.Func + "\x00" + ev.Key
	switch ev.Kind {
	case cache.EventMiss:
		b.computing[id] = computing{fn: ev.Func, key: ev.Key, spinner: ev.Spinner, since: ev.Time}
	case cache.EventComputed, cache.EventError:
		delete(b.computing, id)
	case cache.EventCleared:
		for k, c := range b.computing {
			if c.fn == ev.Func {
				delete(b.computing, k)
			}
		}
	}
	if !b.any() {
		b.progress = progressMsg{}
	}
}

// startSpinner returns the spinner's first tick if something computes and
// none is scheduled.
func (b *busy) startSpinner() tea.Cmd {
	if !b.any() || b.spinning {
		return nil
	}
	b.spinning = true
	return b.spin.Tick
}

// tick advances the spinner while something computes, and lets it stop
// when nothing does.
func (b *busy) tick(msg spinner.TickMsg, listen bool) tea.Cmd {
	if !b.any() || !listen {
		b.spinning = false
		return nil
	}
	var cmd tea.Cmd
	b.spin, cmd = b.spin.Update(msg)
	return cmd
}

// stop forgets every computation (esc cancelled them) and returns their
// functions' names, oldest first.
func (b *busy) stop() []string {
	var stopped []string
	for _, c := range b.sorted() {
		stopped = append(stopped, c.fn)
	}
	b.computing = map[string]computing{}
	b.progress = progressMsg{}
	return stopped
}

// lines shows a spinner per miss in progress, with the function's
// spinner text, elapsed time ("T" when stable, for golden screens) and,
// for big loads, a progress bar in bytes.
func (b *busy) lines(width int, stable bool) []string {
	var out []string
	for _, c := range b.sorted() {
		text := c.spinner
		if text == "" {
			text = c.fn
		}
		elapsed := time.Since(c.since).Round(100 * time.Millisecond).String()
		if stable {
			elapsed = "T"
		}
		line := fmt.Sprintf("%s %s %s %s", b.spin.View(), Sanitize(text), b.ctx.Styles.Subtle.Render(Sanitize(c.key)), elapsed)
		out = append(out, clip(line, width))
		if p := b.progress; (c.fn == "load_csv" || c.fn == "fetch_csv") && p.total > 5<<20 {
			// Big loads get a bar in bytes on a line of its own.
			sizes := fmt.Sprintf(" %s / %s", humanSize(p.read), humanSize(p.total))
			bar := b.bar
			bar.Width = max(min(40, width-len(sizes)-4), 10)
			out = append(out, clip("  "+bar.ViewAs(float64(p.read)/float64(p.total))+sizes, width))
		}
	}
	if len(out) > 0 {
		out = append(out, b.ctx.Styles.Subtle.Render(clip("keys keep working; esc cancels", width)))
	}
	return out
}

// sorted is the computations, oldest first.
func (b *busy) sorted() []computing {
	out := make([]computing, 0, len(b.computing))
	for _, c := range b.computing {
		out = append(out, c)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].since.Before(out[j-1].since); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// loadingText says how far the load behind a preview is, as the progress
// figure (the bytes parsed, not only read) measures it; once the file is
// parsed the model still indexes it, which the figure does not cover.
func (b *busy) loadingText() string {
	p := b.progress
	switch {
	case p.total > 0 && p.read >= p.total:
		return "parsed, indexing…"
	case p.total > 0:
		return fmt.Sprintf("loading %d%%…", p.read*100/p.total)
	}
	return "loading…"
}
