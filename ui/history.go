package ui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// History is what ↑ and ↓ recall in a prompt, as a shell's history: each
// prompt (search, filter, column, …) its own entries, oldest first. The
// explorer's is kept across runs in a private file (HistoryPath): mode
// 0600 in a 0700 directory, never through a symlink, at most
// historyPerPrompt entries a prompt. One History may serve both halves of
// --split; it is safe for concurrent use, since it is saved from commands.
type History struct {
	mu      sync.Mutex
	path    string // "": kept in memory only (tests, hitmiss serve's users)
	entries map[string][]string
	dirty   bool // entries were added since the file was last written
}

const (
	// historyPerPrompt bounds each prompt's entries: the oldest go first.
	historyPerPrompt = 200
	// historyMaxBytes bounds the file read: a longer one is not a history
	// this program wrote, and only its start is read.
	historyMaxBytes = 1 << 20
)

// NewHistory is a history kept in memory only.
func NewHistory() *History { return &History{entries: map[string][]string{}} }

// HistoryPath is where the explorer keeps its prompts' history:
// $XDG_STATE_HOME/hitmiss/history, or ~/.local/state/hitmiss/history.
func HistoryPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) { // the XDG spec: a relative path is invalid, ignore it
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("history: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "hitmiss", "history"), nil
}

// OpenHistory reads the history kept at path, which it will be saved to.
// A missing file is an empty history. A symlink, or anything but a regular
// file, is refused: the history stays in memory and the error says why.
func OpenHistory(path string) (*History, error) {
	h := NewHistory()
	data, err := readPrivate(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			h.path = path
			return h, nil
		}
		return h, fmt.Errorf("history %s: %w (kept in memory only)", path, err)
	}
	h.path = path
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), historyMaxBytes)
	for sc.Scan() {
		name, quoted, ok := strings.Cut(sc.Text(), "\t")
		if text, err := strconv.Unquote(quoted); ok && err == nil {
			h.add(name, text)
		}
	}
	h.dirty = false // what was read is what the file holds
	return h, nil
}

// errNotRegular refuses a history path that is a symlink, a directory, a
// device or a FIFO.
var errNotRegular = errors.New("not a regular file (a symlink is refused)")

// readPrivate reads at most historyMaxBytes of the regular file at path,
// following no symlink: what was checked (Lstat) is what was opened.
func readPrivate(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opened, err := f.Stat(); err != nil || !os.SameFile(fi, opened) {
		return nil, errNotRegular // swapped between the check and the open
	}
	return io.ReadAll(io.LimitReader(f, historyMaxBytes))
}

// list is a copy of one prompt's entries, oldest first.
func (h *History) list(name string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.entries[name])
}

// add records text as the newest entry of a prompt: an equal older entry
// moves to the end, blank text is not recorded, and the oldest go past
// historyPerPrompt.
func (h *History) add(name, text string) {
	if strings.TrimSpace(text) == "" || name == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	e := slices.DeleteFunc(h.entries[name], func(s string) bool { return s == text })
	e = append(e, text)
	if len(e) > historyPerPrompt {
		e = slices.Delete(e, 0, len(e)-historyPerPrompt)
	}
	h.entries[name] = e
	h.dirty = true
}

// historyErrMsg says a history could not be saved.
type historyErrMsg struct{ err error }

// saveCmd writes the history to its file off the UI goroutine; nil when
// it is kept in memory only.
func (h *History) saveCmd() tea.Cmd {
	if h.path == "" {
		return nil
	}
	return func() tea.Msg {
		if err := h.Save(); err != nil {
			return historyErrMsg{err}
		}
		return nil
	}
}

// Save writes every entry to the file (nothing when it has none, or
// nothing new since the last Save): into a private temporary file in
// its directory (created 0700), then renamed over it, so a reader never
// sees half a history. A symlink at the path is refused, not followed or
// replaced.
func (h *History) Save() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.path == "" || !h.dirty {
		return nil
	}
	var b bytes.Buffer
	names := make([]string, 0, len(h.entries))
	for n := range h.entries {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		for _, e := range h.entries[n] {
			b.WriteString(n + "\t" + strconv.Quote(e) + "\n")
		}
	}
	dir := filepath.Dir(h.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if fi, err := os.Lstat(h.path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("history %s: %w", h.path, errNotRegular)
	}
	tmp, err := os.CreateTemp(dir, ".history.*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	_, err = tmp.Write(b.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), h.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("history %s: %w", h.path, err)
	}
	h.dirty = false
	return nil
}
