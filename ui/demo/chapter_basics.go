package demo

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hitmiss/hitmiss/cache"
)

// ab is expensive_computation's arguments. CacheLabel names them in the
// event log: expensive_computation(a=2, b=21).
type ab struct{ A, B int }

// CacheLabel implements the cache's label hook.
func (x ab) CacheLabel() string { return fmt.Sprintf("a=%d, b=%d", x.A, x.B) }

// basics is the old st.cache page's Example 1: basic memoization, with a
// switch that runs the script without the cache (the "before").
type basics struct {
	env       *env
	noCache   atomic.Bool
	expensive *cache.Func[ab, int]
}

func (c *basics) about() about {
	return about{
		id:    "basics",
		title: "Basic memoization",
		seed:  "old st.cache page, Example 1",
		show:  []string{"basics.start", "basics.compute", "basics.page"},
		watch: "First rerun: MISS, \"Cache miss\". r: a HIT in µs. u turns " +
			"the cache off (the \"before\"): every rerun sleeps and says " +
			"\"Cache miss\".",
		actions: []action{
			act("u", "cache on/off", true, func(*env) string {
				if c.noCache.Load() {
					c.noCache.Store(false)
					return "cache on: @st.cache added"
				}
				c.noCache.Store(true)
				return "cache off: expensive_computation runs on every rerun"
			}),
		},
	}
}

// mode says whether the cache is on (u switches).
func (c *basics) mode() string {
	if c.noCache.Load() {
		return "cache off"
	}
	return "cache on"
}

// compute is expensive_computation(a, b).
func (c *basics) compute(ctx context.Context, in ab) (int, error) {
	stWrite(ctx, "Cache miss: expensive_computation(", in.A, ",",
		in.B, ") ran")
	if err := c.env.sleep(ctx); err != nil { // time.sleep(2)
		return 0, err
	}
	return in.A * in.B, nil
}

func (c *basics) start(e *env) error {
	// @st.cache(suppress_st_warning=True)
	c.expensive = cache.Data(e.reg, "expensive_computation", c.compute)
	c.env = e
	return nil
}

func (c *basics) page(p *Page) error {
	a, b := 2, 21
	var res int
	var err error
	if c.noCache.Load() {
		res, err = c.compute(p.Ctx, ab{a, b}) // ← no cache
	} else {
		res, err = c.expensive.Get(p.Ctx, ab{a, b})
	}
	p.Write("Result:", res)
	return err
}
