package demo

import (
	"context"
	"strconv"

	"github.com/hitmiss/hitmiss/cache"
)

// argChange is the old st.cache page's Examples 2 and 5: a new argument
// misses, an argument seen before hits.
type argChange struct {
	env       *env
	b         int // the slider: b = st.slider("Pick a number", 0, 10)
	expensive *cache.Func[ab, int]
}

func (c *argChange) about() about {
	return about{
		id:    "args",
		title: "Changing an argument and going back",
		seed:  "old st.cache page, Examples 2 and 5",
		show:  []string{"argChange.start", "argChange.compute", "argChange.page"},
		watch: "→ to a b not seen before: MISS. ← back to one seen: HIT, " +
			"its entry is still there. The ent column counts one entry " +
			"per b.",
		actions: []action{
			act("right l", "slider +1", true, func(*env) string {
				c.b = min(c.b+1, 10)
				return "slider: b = " + strconv.Itoa(c.b)
			}),
			act("left h", "slider -1", true, func(*env) string {
				c.b = max(c.b-1, 0)
				return "slider: b = " + strconv.Itoa(c.b)
			}),
		},
	}
}

// compute is expensive_computation(a, b).
func (c *argChange) compute(ctx context.Context, in ab) (int, error) {
	stWrite(ctx, "Cache miss: expensive_computation(", in.A, ",",
		in.B, ") ran")
	if err := c.env.sleep(ctx); err != nil { // time.sleep(2)
		return 0, err
	}
	return in.A * in.B, nil
}

func (c *argChange) start(e *env) error {
	// @st.cache(suppress_st_warning=True)
	c.expensive = cache.Data(e.reg, "expensive_computation", c.compute)
	c.env, c.b = e, 5
	return nil
}

func (c *argChange) page(p *Page) error {
	a, b := 2, c.b
	p.Write("Pick a number: b =", b)
	res, err := c.expensive.Get(p.Ctx, ab{a, b})
	p.Write("Result:", res)
	return err
}
