package ui_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/ui/demo"
)

// The talk, end to end: the real binary in tmux walks every chapter with
// its keys, and the screen shows the verdict each chapter promises.
func TestDemoWalksEveryChapter(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
		args          []string
	}{
		{"80x24", 80, 24, nil},
		{"present-80x24", 80, 24, []string{"--present"}},
	} {
		t.Run(size.name, func(t *testing.T) {
			args := append([]string{"demo", "--slow", "300ms", "--ttl", "2s"}, size.args...)
			walkDemo(t, startTmuxSized(t, size.width, size.height, args...), size.width)
		})
	}
}

func walkDemo(t *testing.T, s *tmuxSession, width int) {
	chapters := len(demo.List())
	// verdict waits for the verdict line to read prev → last.
	verdict := func(prev, last string) {
		t.Helper()
		re := regexp.MustCompile(regexp.QuoteMeta(prev) + ` [0-9.]+ [µm]?s → ` + regexp.QuoteMeta(last) + ` [0-9.]+ [µm]?s`)
		s.waitFor(prev+" → "+last, func(sc string) bool { return re.MatchString(sc) })
	}
	step := func(keys string, want ...string) {
		t.Helper()
		if keys != "" {
			s.keys(keys)
		}
		for _, w := range want {
			s.waitText(w)
		}
	}
	// uncut checks the chapter's screen once its rerun has a verdict:
	// no line wider than the window, none cut short with "…" at its edge.
	anyVerdict := regexp.MustCompile(`(MISS|HIT|NO CACHE|FROM DISK|STALE|ERROR) [0-9.]+ [µm]?s`)
	uncut := func() {
		t.Helper()
		sc := s.waitFor("a verdict", func(sc string) bool { return anyVerdict.MatchString(sc) })
		for _, l := range strings.Split(sc, "\n") {
			l = strings.TrimRight(l, " ")
			if n := ansi.StringWidth(l); n > width || n == width && strings.HasSuffix(l, "…") {
				t.Fatalf("a line of %d columns, cut at the edge: %q; the screen shows:\n%s", n, l, sc)
			}
		}
	}
	// chapter checks the chapter shown is not cut, goes to the next one
	// and waits for its title, numbered "k/N · title".
	chapter := func(title string) {
		t.Helper()
		uncut()
		s.keys("n")
		re := regexp.MustCompile(`[0-9]+/` + fmt.Sprint(chapters) + ` · ` + regexp.QuoteMeta(title))
		s.waitFor(title, func(sc string) bool { return re.MatchString(sc) })
	}

	s.waitText(fmt.Sprintf("1/%d · Basic memoization", chapters))
	s.waitText("Cache miss: expensive_computation( 2 , 21 ) ran")
	step("r")
	verdict("MISS", "HIT")
	step("u")
	verdict("HIT", "NO CACHE")

	chapter("Changing an argument")
	s.waitText("Result: 10")
	step("l", "b = 6")
	verdict("MISS", "MISS")
	step("h", "Result: 10")
	verdict("MISS", "HIT")

	chapter("Changing the code")
	s.waitText("Version v1 · Result: 420")
	step("#", "Version v2 · Result: 421")
	verdict("MISS", "MISS")
	step("#", "Version v1 · Result: 420")
	verdict("MISS", "HIT")

	chapter("Editing an inner, uncached function")
	s.waitText("Result: 43")
	step("#", "inner_func( 2 , 21 ) ran", "Result: 2097153")
	verdict("MISS", "MISS")
	step("#", "Result: 43")
	verdict("MISS", "HIT")

	chapter("Nested cached functions")
	s.waitText("ran load_data, describe_data")
	step("o", "ran describe_data · 1 hit")

	chapter("Recursive memo: factorial(9) after factorial(10)")
	s.waitText("factorial(10) = 3628800")
	s.waitText("(11 calls)")
	step("h", "factorial(9) = 362880", "ran: nothing, every call was cached")
	verdict("MISS", "HIT")

	chapter("Data copies vs shared resources")
	s.waitText("cache.Resource columns: Base, Date/Time, Lat, Lon")
	step("m", "data copy: dropped Lat")
	step("M", "resource:  dropped Lat")
	step("r", "cache.Resource columns: Base, Date/Time, Lon")
	s.waitText("cache.Data     columns: Base, Date/Time, Lat, Lon")
	step("M", `KeyError: "['Lat'] not found in axis"`)
	verdict("HIT", "ERROR")

	chapter("The cost of a Data hit: a 1M-row copy vs zero")
	s.waitText("cache.Resource miss 0 B copied in")
	step("r", "cache.Data     hit  30.5 MiB copied in", "cache.Resource hit  0 B copied in")
	verdict("MISS", "HIT")

	chapter("A memo that keeps object identity")
	s.waitText("factory:      obj_b #1 (made from obj_a #1): a new object")
	step("r", "obj_b #1 (made from obj_a #1): the same object as last rerun", "a copy, not the same object")
	step("a", "factory:      obj_b #3 (made from obj_a #2): a new object", "ran factory · 1 hit")

	chapter("The list example for two users")
	s.waitText("user A: l[0] is: 2")
	step("b", "user B: l[0] is: 3")
	step("a", "user A: l[0] is: 4")

	chapter("TTL")
	s.waitText("computed run_query(sql=\"SELECT * FROM mytable\")")
	s.waitText("expired run_query(sql=\"SELECT * FROM mytable\")") // by itself, no rerun
	step("r", "1 expired")
	verdict("MISS", "MISS")

	chapter("Max entries")
	s.waitText("square(1) = 1")
	step("l", "square(2) = 4")
	step("l", "square(3) = 9")
	step("l", "square(4) = 16", "1 evicted", "evicted square(x=1)")

	chapter("Persist across a restart")
	s.waitText("Result: 42")
	step("R", "restarted")
	verdict("MISS", "FROM DISK")

	chapter("Validate")
	s.waitText("using connection #1")
	step("B", "OnRelease: closed connection #1", "using connection #2", "1 invalidated")
	verdict("MISS", "MISS")

	chapter("Excluded arguments and HashFunc")
	s.waitText("10 rows, fetched over connection #1 (open: #1)")
	step("c", "10 rows, fetched over connection #1 (open: #2)", "hit fetch_data(_db_connection=#1, num_rows=10)")
	verdict("MISS", "HIT")
	step("t", "ran read_file")

	chapter("Element replay")
	s.waitText("✔ Fetched data from API!")
	step("r", "2 messages replayed")
	verdict("MISS", "HIT")

	chapter("A widget inside a cached function, replayed")
	s.waitText("Number of rows to get  0 ━━●──────── 100  [20]")
	step("l", "[30]", "got 30 rows")
	step("h", "got 20 rows", "1 message replayed")
	verdict("MISS", "HIT")
	s.waitText("Number of rows to get  0 ━━●──────── 100  [20]")

	chapter("Spinner and no spinner")
	s.waitText("fetch_data: 1 · fetch_quietly: 1")
	step("l", "Fetching data from API...")
	s.waitText("fetch_data: 2 · fetch_quietly: 2")

	chapter("Clearing")
	s.waitText("load_model")
	step("D", "ran square · 4 hits")
	step("Z", "ran load_model · 4 hits")
	step("E", "ran square, cube, load_model")

	chapter("Background refresh")
	s.waitText("price: 101")
	s.waitFor("the entry to turn stale", func(sc string) bool {
		for _, l := range strings.Split(sc, "\n") {
			if strings.HasPrefix(l, "fetch_price") && strings.HasSuffix(strings.TrimSpace(l), "stale") {
				return true
			}
		}
		return false
	})
	step("r", "price: 101")
	verdict("MISS", "STALE")
	s.waitFor("the background refresh", func(sc string) bool { return strings.Count(sc, "computed fetch_price()") == 2 })
	step("r", "price: 102")
	verdict("STALE", "HIT")

	chapter("Session scope")
	s.waitText("user A: user A has cart #1")
	step("b", "user B: user B has cart #2")
	verdict("MISS", "MISS")
	step("e", "session A ended")
	step("a", "user A: user A has cart #3")

	uncut()
	s.keys("n")
	s.waitText(fmt.Sprintf("1/%d · Basic memoization", chapters)) // and round again

	// q quits with status 0, after closing the chapter's registry (and
	// before the test removes the folder it persisted to).
	s.quit()
}

// Honest verdicts at 80x24, in both layouts: a rerun in progress says
// RUNNING (cache on or off), esc says CANCELLED and shows no made-up
// result, a miss says why, and a script's error is an ERROR with its
// message.
func TestDemoVerdictsAreHonest(t *testing.T) {
	for _, layout := range []struct {
		name string
		args []string
	}{{"80x24", nil}, {"present-80x24", []string{"--present"}}} {
		t.Run(layout.name, func(t *testing.T) {
			s := startTmuxSized(t, 80, 24, append([]string{"demo", "--slow", "1m"}, layout.args...)...)
			s.waitText("RUNNING")
			s.waitText("cache on")
			s.keys("Escape")
			sc := s.waitText("CANCELLED")
			if strings.Contains(sc, "Result: 0") {
				t.Fatalf("esc shows a made-up result:\n%s", sc)
			}
			s.keys("u")
			s.waitText("cache off")
			sc = s.waitText("RUNNING")
			if regexp.MustCompile(`(MISS|HIT) [0-9.]+ [µm]?s →`).MatchString(sc) {
				t.Fatalf("a running rerun shows the verdict before it:\n%s", sc)
			}
			s.keys("Escape")
			s.waitText("CANCELLED")
			s.quit()
		})
	}
}

// At 80x24 with a short sleep: a miss names its cause (the first call, a
// new argument), and M twice in the copies chapter is an ERROR with
// pandas' message, not a HIT.
func TestDemoMissesSayWhyAndErrorsAreErrors(t *testing.T) {
	for _, layout := range []struct {
		name string
		args []string
	}{{"80x24", nil}, {"present-80x24", []string{"--present"}}} {
		t.Run(layout.name, func(t *testing.T) {
			s := startTmuxSized(t, 80, 24, append([]string{"demo", "--slow", "50ms", "2"}, layout.args...)...)
			s.waitText("2/21 · Changing an argument")
			s.waitText("(first call)")
			s.keys("l")
			s.waitText("(new argument)")
			s.keys("n", "n", "n", "n", "n")
			s.waitText("7/21")
			s.waitText("cache.Resource columns: Base, Date/Time, Lat, Lon")
			s.keys("M")
			s.waitText("resource:  dropped Lat")
			s.keys("M")
			sc := s.waitText("→ ERROR") // the watch line says "an ERROR" too
			if !strings.Contains(strings.Join(strings.Fields(sc), " "), `KeyError: "['Lat'] not found in axis"`) {
				t.Fatalf("the error's message is not shown:\n%s", sc)
			}
			if strings.Contains(sc, "█") && strings.Contains(sc, "HIT ") && !strings.Contains(sc, "→ ERROR") {
				t.Fatalf("an error under a HIT:\n%s", sc)
			}
			s.quit()
		})
	}
}

// Counts that add up, at 80x24: # in the code chapter shows the old
// version's entry kept (1 +1 old), and a resize redraws without a rerun
// (the hits stay).
func TestDemoCountsAddUp(t *testing.T) {
	s := startTmuxSized(t, 80, 24, "demo", "--slow", "50ms", "3")
	s.waitText("Version v1 · Result: 420")
	s.keys("#")
	s.waitText("Version v2 · Result: 421")
	sc := s.waitText("1 +1 old")
	hits := regexp.MustCompile(`expensive_computation +data +1 \+1 old +(\d+)`).FindStringSubmatch(sc)
	if hits == nil {
		t.Fatalf("no row for expensive_computation:\n%s", sc)
	}
	s.tmux("resize-window", "-t", s.name, "-x", "120", "-y", "40").Run()
	s.waitFor("the 120x40 screen", func(sc string) bool { return strings.Count(sc, "\n") >= 39 })
	s.tmux("resize-window", "-t", s.name, "-x", "80", "-y", "24").Run()
	sc = s.waitFor("the 80x24 screen", func(sc string) bool { return strings.Count(sc, "\n") <= 24 })
	again := regexp.MustCompile(`expensive_computation +data +1 \+1 old +(\d+)`).FindStringSubmatch(sc)
	if again == nil || again[1] != hits[1] {
		t.Fatalf("after resizing, hits %v, were %s:\n%s", again, hits[1], sc)
	}
	s.quit()
}

// In the explorer at 80x24, # (a new load_csv Version) shows the old
// version's entry kept beside the new one.
func TestExplorerShowsVersionsSetAside(t *testing.T) {
	s := startTmuxSized(t, 80, 24, "seattle-weather")
	s.waitText("rerun #1")
	s.keys("#")
	s.waitFor("load_csv 1 +1 old", func(sc string) bool {
		return regexp.MustCompile(`load_csv +data +1 \+1 old`).MatchString(sc)
	})
	s.quit()
}
