package demo

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hitmiss/hitmiss/cache"
)

// conn is a database connection that can break.
type conn struct {
	id     int
	broken atomic.Bool
}

func (c *conn) alive() bool { return !c.broken.Load() }

// validateChapter is st.cache_resource's validate: a shared connection
// that is checked on every hit and replaced when it broke.
type validateChapter struct {
	env      *env
	opened   int
	mu       sync.Mutex
	released []string // what OnRelease did, shown by the next rerun
	connect  *cache.Func[noArgs, *conn]
}

func (c *validateChapter) about() about {
	return about{
		id:    "validate",
		title: "Validate: a broken connection is replaced",
		seed:  "st.cache_resource docs, the validate parameter",
		show:  []string{"validateChapter.start", "validateChapter.initConnection"},
		watch: "B breaks the shared connection: on the next hit Validate " +
			"says no: invalidated, OnRelease closes #1, a MISS opens " +
			"#2.",
		actions: []action{
			act("B", "break the connection", true, func(*env) string {
				if cn, ok := c.connect.Peek(noArgs{}); ok {
					cn.broken.Store(true)
					return fmt.Sprintf("broke connection #%d", cn.id)
				}
				return "no connection cached yet"
			}),
		},
	}
}

// initConnection is init_connection(): opening it is slow.
func (c *validateChapter) initConnection(ctx context.Context,
	_ noArgs) (*conn, error) {
	if err := c.env.sleep(ctx); err != nil {
		return nil, err
	}
	c.opened++
	return &conn{id: c.opened}, nil
}

func (c *validateChapter) start(e *env) error {
	// @st.cache_resource(validate=lambda conn: conn.alive())
	c.connect = cache.Resource(e.reg, "init_connection", c.initConnection,
		cache.Validate(func(cn *conn) bool { return cn.alive() }),
		cache.OnRelease(func(cn *conn) { // no Streamlit spelling
			c.mu.Lock()
			c.released = append(c.released, fmt.Sprintf(
				"OnRelease: closed connection #%d", cn.id))
			c.mu.Unlock()
		}))
	c.env = e
	return nil
}

func (c *validateChapter) page(p *Page) error {
	cn, err := c.connect.Get(p.Ctx, noArgs{})
	if err != nil {
		return err
	}
	c.mu.Lock()
	for _, r := range c.released {
		p.Write(r)
	}
	c.released = nil
	c.mu.Unlock()
	p.Write(fmt.Sprintf("using connection #%d", cn.id))
	return nil
}
