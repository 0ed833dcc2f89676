package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// fetchArgs is fetch_data(_db_connection, num_rows): a field whose name
// starts with _ is not hashed, as Streamlit's _param is not.
type fetchArgs struct {
	_db     *conn // ← excluded from the key
	NumRows int
}

// CacheLabel implements the cache's label hook.
func (a fetchArgs) CacheLabel() string {
	return fmt.Sprintf("_db_connection=#%d, num_rows=%d", a._db.id, a.NumRows)
}

// fileRef is the old st.cache page's FileReference.
type fileRef struct{ Path string }

// CacheLabel implements the cache's label hook.
func (f fileRef) CacheLabel() string {
	return fmt.Sprintf("file_reference=%q", filepath.Base(f.Path))
}

// excluded is st.cache_data's "Excluding input parameters" and the old
// st.cache page's hash_funcs, whose Go spelling is cache.HashFunc.
type excluded struct {
	env   *env
	db    *conn
	rows  int
	ref   fileRef
	dir   string // holds the file; removed when the chapter is left
	fetch *cache.Func[fetchArgs, rows]
	read  *cache.Func[fileRef, string]
}

func (c *excluded) about() about {
	return about{
		id:    "exclude",
		title: "Excluded arguments and HashFunc",
		seed:  "st.cache_data docs, _param; old st.cache page, hash_funcs",
		show: []string{"excluded.start", "fetchArgs", "excluded.fetchData",
			"hashFileReference", "excluded.page"},
		watch: "c: a new connection, not hashed (_db): a HIT, the rows " +
			"came over #1. →: MISS. t touches the file: the HashFunc " +
			"sees its time: MISS.",
		actions: []action{
			act("c", "new connection", true, func(*env) string {
				c.db = &conn{id: c.db.id + 1}
				return fmt.Sprintf("new connection #%d", c.db.id)
			}),
			act("right l", "num_rows + 10", true, func(*env) string {
				c.rows += 10
				return "num_rows = " + strconv.Itoa(c.rows)
			}),
			act("t", "touch the file", true, func(*env) string {
				now := time.Now().Add(time.Second)
				if err := os.Chtimes(c.ref.Path, now, now); err != nil {
					return err.Error()
				}
				return "touched " + filepath.Base(c.ref.Path)
			}),
		},
	}
}

// rows is what fetch_data returns: how many rows, and over which
// connection they were fetched.
type rows struct{ N, Conn int }

// fetchData is fetch_data(_db_connection, num_rows).
func (c *excluded) fetchData(ctx context.Context, a fetchArgs) (rows, error) {
	if err := c.env.sleep(ctx); err != nil {
		return rows{}, err
	}
	return rows{a.NumRows, a._db.id}, nil // _db_connection.fetch(num_rows)
}

// readFile reads a FileReference.
func (c *excluded) readFile(ctx context.Context, f fileRef) (string, error) {
	b, err := os.ReadFile(f.Path)
	return string(b), err
}

// hashFileReference is hash_file_reference: the name and the file's
// modification time, so an edited file is a new key.
func hashFileReference(f fileRef) any {
	fi, err := os.Stat(f.Path)
	if err != nil {
		return f.Path
	}
	return [2]any{f.Path, fi.ModTime()}
}

func (c *excluded) start(e *env) error {
	// @st.cache_data; its _db_connection is not hashed (fetchArgs)
	c.fetch = cache.Data(e.reg, "fetch_data", c.fetchData)
	// @st.cache(hash_funcs={FileReference: hash_file_reference})
	c.read = cache.Data(e.reg, "read_file", c.readFile,
		cache.HashFunc(hashFileReference))
	c.env, c.db, c.rows = e, &conn{id: 1}, 10
	dir, err := os.MkdirTemp("", "hitmiss-demo")
	if err != nil {
		return err
	}
	c.dir, c.ref = dir, fileRef{filepath.Join(dir, "notes.txt")}
	if err := os.WriteFile(c.ref.Path, []byte("hello"), 0o600); err != nil {
		return err
	}
	return nil
}

func (c *excluded) close() {
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

func (c *excluded) page(p *Page) error {
	r, err := c.fetch.Get(p.Ctx, fetchArgs{_db: c.db, NumRows: c.rows})
	if err != nil {
		return err
	}
	p.Write(fmt.Sprintf("%d rows, fetched over connection #%d (open: #%d)",
		r.N, r.Conn, c.db.id))
	text, err := c.read.Get(p.Ctx, c.ref)
	p.Write("file says:", text)
	return err
}
