package demo

import (
	"context"
	"sync/atomic"

	"github.com/hitmiss/hitmiss/cache"
)

// innerChange is the old st.cache page's Example 4: expensive_computation
// is cached, the inner_func it calls is not, and editing inner_func misses
// the cached caller. Streamlit finds inner_func by reading the caller's
// code; Go cannot, so the caller's Version names the version of every
// helper it calls, and a helper's edit is a new version of its callers.
type innerChange struct {
	env       *env
	edited    atomic.Bool // inner_func's "*" is now "**"
	expensive *cache.Func[ab, int]
}

func (c *innerChange) about() about {
	return about{
		id:    "inner",
		title: "Editing an inner, uncached function",
		seed:  "old st.cache page, Example 4 (inner_func)",
		show: []string{"innerChange.start", "innerChange.innerFunc",
			"innerChange.compute", "innerChange.callerVersion"},
		watch: "# edits inner_func, which is not cached: its caller's " +
			"Version names it, so expensive_computation MISSes. # " +
			"again: HIT, the old entry.",
		actions: []action{
			act("#", "edit inner_func", true, func(*env) string {
				c.edited.Store(!c.edited.Load())
				v := c.callerVersion()
				if err := c.expensive.SetVersion(v); err != nil {
					return err.Error()
				}
				return "edited inner_func: expensive_computation is now " + v
			}),
		},
	}
}

// innerFunc is inner_func(a, b): a plain function, not cached.
func (c *innerChange) innerFunc(ctx context.Context, a, b int) int {
	stWrite(ctx, "inner_func(", a, ",", b, ") ran")
	if c.edited.Load() { // inner_func "v2"
		p := 1
		for range b {
			p *= a
		}
		return p // return a ** b  ← Changed the * to ** here
	}
	return a * b // inner_func "v1"
}

// compute is expensive_computation(a, b): it calls inner_func.
func (c *innerChange) compute(ctx context.Context, in ab) (int, error) {
	stWrite(ctx, "Cache miss: expensive_computation(", in.A, ",",
		in.B, ") ran")
	if err := c.env.sleep(ctx); err != nil { // time.sleep(2)
		return 0, err
	}
	return c.innerFunc(ctx, in.A, in.B) + 1, nil
}

// callerVersion is expensive_computation's Version: its own, and that of
// inner_func, which it calls. Streamlit reads it from the code.
func (c *innerChange) callerVersion() string {
	if c.edited.Load() {
		return "v1+inner_func.v2"
	}
	return "v1+inner_func.v1"
}

func (c *innerChange) start(e *env) error {
	// @st.cache(suppress_st_warning=True); inner_func's version in its own
	c.expensive = cache.Data(e.reg, "expensive_computation", c.compute,
		cache.Version(c.callerVersion()))
	c.env = e
	return nil
}

func (c *innerChange) page(p *Page) error {
	res, err := c.expensive.Get(p.Ctx, ab{2, 21})
	p.Write("Result:", res)
	return err
}
