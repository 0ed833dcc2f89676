package demo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

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
	clock  int         // counts the page's calls
	used   map[int]int // x -> the clock of its last call
	square *cache.Func[number, int]
}

func (c *maxEntries) about() about {
	return about{
		id:    "maxent",
		title: "Max entries: the least recently used leaves",
		seed:  "st.cache_data docs, the max_entries parameter",
		show:  []string{"maxEntries.start", "maxEntries.squareOf"},
		watch: "→ to x = 4: the least recently used entry leaves (the docs " +
			"say \"oldest\"). The page lists them next-to-leave first. ← " +
			"to it: MISS.",
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
	c.env, c.x, c.used = e, 1, map[int]int{}
	return nil
}

func (c *maxEntries) page(p *Page) error {
	v, err := c.square.Get(p.Ctx, number{c.x})
	c.used[c.x] = c.clock
	c.clock++
	p.Write(fmt.Sprintf("square(%d) = %d", c.x, v))
	p.Write("kept, least recently used first:", c.byRecency())
	return err
}

// byRecency lists the entries the cache holds, least recently used first
// (the next to leave), from when this page last asked for each x.
func (c *maxEntries) byRecency() string {
	var held []int
	for x := range c.used {
		if c.square.Contains(number{x}) { // looks, counts nothing
			held = append(held, x)
		}
	}
	slices.SortFunc(held, func(a, b int) int { return c.used[a] - c.used[b] })
	var out []string
	for _, x := range held {
		out = append(out, fmt.Sprintf("x=%d", x))
	}
	return strings.Join(out, ", ")
}
