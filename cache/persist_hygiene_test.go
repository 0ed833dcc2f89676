package cache_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// Regression tests for the persist directory's hygiene and security
// (issue 9). Each failed on the code before it.

func persistFunc(t *testing.T, dir string, runs *atomic.Int64, opts ...cache.RegistryOption) (*cache.Registry, *cache.Func[string, summary]) {
	t.Helper()
	reg := cache.NewRegistry(append([]cache.RegistryOption{cache.WithPersistDir(dir)}, opts...)...)
	return reg, cache.Data(reg, "s", summarize(runs), cache.Persist())
}

func onlyFolder(t *testing.T, dir string) string {
	t.Helper()
	files := entryFiles(t, dir)
	if len(files) == 0 {
		t.Fatalf("no entry file under %s", dir)
	}
	return filepath.Dir(files[0])
}

// deadPid returns the pid of a process that has exited.
func deadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestCrashedWritersLeftoversAreRemoved(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	_, f := persistFunc(t, dir, &runs)
	mustGet(t, f, "a.csv")
	folder := onlyFolder(t, dir)
	dead := filepath.Join(folder, ".tmp-"+strconv.Itoa(deadPid(t))+"-12345")
	old := filepath.Join(folder, ".tmp-"+strconv.Itoa(os.Getpid())+"-777")
	live := filepath.Join(folder, ".tmp-"+strconv.Itoa(os.Getpid())+"-888")
	for _, p := range []string{dead, old, live} {
		if err := os.WriteFile(p, make([]byte, 1<<20), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(old, past, past)

	_, g := persistFunc(t, dir, &runs) // the next process
	mustGet(t, g, "a.csv")
	for _, p := range []string{dead, old} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("leftover %s of a crashed write is still there (%v)", filepath.Base(p), err)
		}
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a fresh temporary file of a live writer was removed: %v", err)
	}
}

func TestOtherBuildsFoldersAreRemovedButNotUsersFiles(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	fn := summarize(&runs)
	v1 := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "s", fn, cache.Persist(), cache.Version("1"))
	mustGet(t, v1, "x")
	mustGet(t, v1, "y")
	oldFolder := onlyFolder(t, dir)
	v2 := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "s", fn, cache.Persist(), cache.Version("2"))
	mustGet(t, v2, "x")
	if _, err := os.Stat(oldFolder); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Version 1's folder outlived its replacement: %v", err)
	}
	if files := entryFiles(t, dir); len(files) != 1 {
		t.Fatalf("entry files %v, want only Version 2's", files)
	}

	// A user's file in a stale folder stays, and so does the folder.
	folder2 := onlyFolder(t, dir)
	notes := filepath.Join(folder2, "notes.txt")
	os.WriteFile(notes, []byte("mine"), 0o600)
	mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "s", fn, cache.Persist(), cache.Version("3")), "x")
	if b, err := os.ReadFile(notes); err != nil || string(b) != "mine" {
		t.Fatalf("a user's file in a stale folder was deleted: %v", err)
	}
}

func TestClearDeletesOnlyFilesTheCacheWrote(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	_, f := persistFunc(t, dir, &runs)
	mustGet(t, f, "x")
	folder := onlyFolder(t, dir)
	notes := filepath.Join(folder, "notes.txt")
	fake := filepath.Join(folder, strings.Repeat("ab", 16)+".entry") // our name, not our file
	os.WriteFile(notes, []byte("mine"), 0o600)
	os.WriteFile(fake, []byte("also mine"), 0o600)
	f.Clear()
	for _, p := range []string{notes, fake} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("Clear deleted %s, which the cache did not write: %v", filepath.Base(p), err)
		}
	}
	if n := len(entryFiles(t, dir)); n != 1 { // the fake is all that is left
		t.Fatalf("%d entry-named files after Clear, want only the user's", n)
	}
}

func TestForgedEntryIsNeverServed(t *testing.T) {
	// Another user computes an entry for the same function and argument in
	// a directory of their own and plants it in ours: without our secret,
	// its checksum cannot be right.
	forged := "forged"
	fn := func(_ context.Context, path string) (summary, error) { return summary{Path: forged}, nil }
	theirs, ours := t.TempDir(), t.TempDir()
	mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(theirs)), "s", fn, cache.Persist()), "x")
	forged = "honest"
	mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(ours)), "s", fn, cache.Persist()), "y")
	src := entryFiles(t, theirs)[0]
	dst := filepath.Join(onlyFolder(t, ours), filepath.Base(src))
	b, _ := os.ReadFile(src)
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	reg := cache.NewRegistry(cache.WithPersistDir(ours))
	f := cache.Data(reg, "s", fn, cache.Persist())
	if v := mustGet(t, f, "x"); v.Path != "honest" {
		t.Fatalf("a planted entry was served: %q", v.Path)
	}
	if s := f.Stats(); s.Invalidations != 1 {
		t.Fatalf("stats %+v, want the planted file counted as 1 invalidation", s)
	}
	fi, err := os.Stat(filepath.Join(ours, "secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v; want mode 0600", fi, err)
	}
}

func TestPersistDirIsMadePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	var runs atomic.Int64
	_, f := persistFunc(t, dir, &runs)
	mustGet(t, f, "x")
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 {
		t.Fatalf("persist dir mode %v, want 0700", fi.Mode().Perm())
	}
	if f.Stats().Persist != true || len(entryFiles(t, dir)) != 1 {
		t.Fatal("our own directory was not used")
	}
}

func TestPersistDirOfAnotherUserIsRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give a directory to another user")
	}
	dir := filepath.Join(t.TempDir(), "planted")
	os.Mkdir(dir, 0o777)
	if err := os.Chown(dir, 4242, 4242); err != nil {
		t.Skip("cannot chown:", err)
	}
	assertMemoryOnly(t, dir, "owned by uid 4242")
}

func TestPersistDirThatIsAFileMeansMemoryOnly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain")
	os.WriteFile(file, []byte("x"), 0o600)
	assertMemoryOnly(t, file, "not a directory")
}

func TestNoUserCacheDirMeansMemoryOnlyNotTmp(t *testing.T) {
	t.Setenv("HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	if d, err := os.UserCacheDir(); err == nil {
		t.Skip("this platform has a cache dir without HOME:", d)
	}
	assertMemoryOnly(t, "", "user cache directory is unknown")
}

// assertMemoryOnly checks that a Persist function over dir keeps entries in
// memory, says why once on the event stream, and counts no invalidation.
func assertMemoryOnly(t *testing.T, dir, why string) {
	t.Helper()
	var opts []cache.RegistryOption
	if dir != "" {
		opts = append(opts, cache.WithPersistDir(dir))
	}
	reg := cache.NewRegistry(opts...)
	events, stop := reg.Subscribe(64)
	defer stop()
	var runs atomic.Int64
	f := cache.Data(reg, "s", summarize(&runs), cache.Persist())
	for _, arg := range []string{"a", "b", "c", "a"} {
		mustGet(t, f, arg)
	}
	s := f.Stats()
	if s.Persist || s.Invalidations != 0 || s.Misses != 3 || s.Hits != 1 {
		t.Fatalf("stats %+v, want memory only: 3 misses, 1 hit, no invalidation", s)
	}
	var said int
	for len(events) > 0 {
		if ev := <-events; ev.Kind == cache.EventError && strings.Contains(ev.Err.Error(), why) {
			said++
		}
	}
	if said != 1 {
		t.Fatalf("%d error events saying %q, want 1", said, why)
	}
}

func TestFunctionFolderThatIsAFile(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	_, f := persistFunc(t, dir, &runs)
	mustGet(t, f, "x")
	folder := onlyFolder(t, dir)
	f.Clear()
	os.RemoveAll(folder)
	os.WriteFile(folder, []byte("in the way"), 0o600)
	for _, arg := range []string{"a", "b", "c"} {
		mustGet(t, f, arg)
	}
	if s := f.Stats(); s.Invalidations != 0 || s.Errors != 3 {
		t.Fatalf("stats %+v: want every failed write counted as an error, and no invalidation per miss", s)
	}
}

func TestPersistBudgetRemovesOldestFirst(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	fn := func(_ context.Context, i int) ([]byte, error) { runs.Add(1); return make([]byte, 10<<10), nil }
	f := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir), cache.WithPersistBudget(64<<10)), "blob", fn, cache.Persist())
	for i := range 20 {
		mustGet(t, f, i)
	}
	var total int64
	for _, p := range entryFiles(t, dir) {
		fi, _ := os.Stat(p)
		total += fi.Size()
	}
	if total > 64<<10 || total == 0 {
		t.Fatalf("entry files hold %d bytes, budget 65536", total)
	}
	// The newest entry survived on disk, the oldest did not.
	g := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir), cache.WithPersistBudget(64<<10)), "blob", fn, cache.Persist())
	runs.Store(0)
	mustGet(t, g, 19)
	if runs.Load() != 0 {
		t.Fatal("the newest entry was not kept on disk")
	}
	mustGet(t, g, 0)
	if runs.Load() != 1 {
		t.Fatal("the oldest entry was kept while the budget was exceeded")
	}
}
