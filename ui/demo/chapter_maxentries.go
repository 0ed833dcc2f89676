package demo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hitmiss/hitmiss/cache"
)

// number is one argument, labelled square(x=3).
type number struct{ X int }

// CacheLabel implements the cache's label hook.
func (n number) CacheLabel() string { return fmt.Sprintf("x=%d", n.X) }

// maxEntries is st.cache_data's max_entries: past it, the least recently
// used entry leaves.
type maxEntries struct {
	env    *env
	x      int
	square *cache.Func[number, int]
}

func (c *maxEntries) about() about {
	return about{
		id:    "maxent",
		title: "Max entries: the least recently used leaves",
		seed:  "st.cache_data docs, the max_entries parameter",
		show:  []string{"maxEntries.start", "maxEntries.squareOf"},
		watch: "→ tries x = 1, 2, 3: three entries. x = 4 makes a fourth, " +
			"so the least recently used one is evicted (an evicted line, " +
			"the evi column). ← back to an evicted x: MISS.",
		actions: []action{
			act("right l", "x + 1", true, func(*env) string {
				c.x = min(c.x+1, 9)
				return "x = " + strconv.Itoa(c.x)
			}),
			act("left h", "x - 1", true, func(*env) string {
				c.x = max(c.x-1, 1)
				return "x = " + strconv.Itoa(c.x)
			}),
		},
	}
}

// squareOf is square(x).
func (c *maxEntries) squareOf(ctx context.Context, n number) (int, error) {
	if err := c.env.sleep(ctx); err != nil {
		return 0, err
	}
	return n.X * n.X, nil
}

func (c *maxEntries) start(e *env) error {
	// @st.cache_data(max_entries=3)
	c.square = cache.Data(e.reg, "square", c.squareOf,
		cache.MaxEntries(3))
	c.env, c.x = e, 1
	return nil
}

func (c *maxEntries) page(p *Page) error {
	v, err := c.square.Get(p.Ctx, number{c.x})
	p.Write("square(", c.x, ") =", v)
	return err
}
