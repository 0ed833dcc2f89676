package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// query is a database query in the event log: run_query(sql="…").
type query struct{ SQL string }

// CacheLabel implements the cache's label hook.
func (q query) CacheLabel() string { return fmt.Sprintf("sql=%q", q.SQL) }

// ttlChapter is st.cache_data's ttl: entries live for a while from their
// insertion, then the function runs again.
type ttlChapter struct {
	env   *env
	query *cache.Func[query, string]
}

func (c *ttlChapter) about() about {
	return about{
		id:    "ttl",
		title: "TTL: entries expire",
		seed:  "st.cache_data docs, the ttl parameter",
		show:  []string{"ttlChapter.start", "ttlChapter.runQuery"},
		watch: "The ttl column counts down; at 0 an expired line appears " +
			"by itself (hitmiss frees it at once, Streamlit on access). " +
			"r: MISS.",
	}
}

// runQuery is run_query(sql): a slow query against a database.
func (c *ttlChapter) runQuery(ctx context.Context, q query) (string, error) {
	if err := c.env.sleep(ctx); err != nil {
		return "", err
	}
	return "rows fetched at " + time.Now().Format("15:04:05"), nil
}

func (c *ttlChapter) start(e *env) error {
	// @st.cache_data(ttl=5): --ttl, 5 s by default
	c.query = cache.Data(e.reg, "run_query", c.runQuery,
		cache.TTL(e.ttl))
	c.env = e
	return nil
}

func (c *ttlChapter) page(p *Page) error {
	rows, err := c.query.Get(p.Ctx, query{"SELECT * FROM mytable"})
	p.Write(rows)
	return err
}
