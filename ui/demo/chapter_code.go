package demo

import (
	"context"
	"sync/atomic"

	"github.com/hitmiss/hitmiss/cache"
)

// codeChange is the old st.cache page's Examples 3 and 4: editing the
// function's body misses, editing it back hits again. A Go program cannot
// edit itself, so the body has both versions and the # key switches
// between them, bumping the function's Version with them.
type codeChange struct {
	env       *env
	edited    atomic.Bool // the "+ 1" edit is in
	expensive *cache.Func[ab, int]
}

func (c *codeChange) about() about {
	return about{
		id:    "code",
		title: "Changing the code (Version) and back",
		seed:  "old st.cache page, Examples 3 and 4",
		show: []string{"codeChange.start", "codeChange.compute",
			"codeChange.bump", "codeChange.page"},
		watch: "# adds \"+ 1\" and bumps the Version: MISS, 421. # again: " +
			"HIT, 420. ent stays 1: the other version's entry is kept " +
			"aside, not counted.",
		actions: []action{
			act("#", "edit the code (bump Version)", true, func(*env) string {
				return c.bump()
			}),
		},
	}
}

// compute is expensive_computation(a, b), in two versions.
func (c *codeChange) compute(ctx context.Context, in ab) (int, error) {
	stWrite(ctx, "Cache miss: expensive_computation(", in.A, ",",
		in.B, ") ran")
	if err := c.env.sleep(ctx); err != nil { // time.sleep(2)
		return 0, err
	}
	if c.edited.Load() { // Version "v2"
		return in.A*in.B + 1, nil // ← Added a +1 at the end here
	}
	return in.A * in.B, nil // Version "v1"
}

// bump is the edit: the body changes, and so does the Version.
func (c *codeChange) bump() string {
	v := "v1"
	if !c.edited.Load() {
		v = "v2"
	}
	c.edited.Store(v == "v2")
	if err := c.expensive.SetVersion(v); err != nil {
		return err.Error()
	}
	return "edited the code: Version " + v
}

func (c *codeChange) start(e *env) error {
	// @st.cache(suppress_st_warning=True); the code's version by hand
	c.expensive = cache.Data(e.reg, "expensive_computation", c.compute,
		cache.Version("v1"))
	c.env = e
	return nil
}

func (c *codeChange) page(p *Page) error {
	a, b := 2, 210
	res, err := c.expensive.Get(p.Ctx, ab{a, b})
	p.Write("Version", c.expensive.Version(), "· Result:", res)
	return err
}
