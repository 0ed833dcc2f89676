package demo

import (
	"context"

	"github.com/hitmiss/hitmiss/cache"
)

// persistChapter is st.cache_data's persist="disk": entries survive a
// restart of the program.
type persistChapter struct {
	env       *env
	expensive *cache.Func[ab, int]
}

func (c *persistChapter) about() about {
	return about{
		id:    "persist",
		title: "Persist across a restart",
		seed:  "st.cache_data docs, persist=\"disk\"",
		show:  []string{"persistChapter.start", "persistChapter.compute"},
		watch: "R restarts: a new registry, as a new process. The rerun is " +
			"FROM DISK, not a MISS. x clears it, its file too: the next " +
			"R misses.",
		actions: []action{
			act("R", "restart", true, func(e *env) string {
				e.reg.Close()
				e.reg = e.newRegistry()
				if err := c.start(e); err != nil {
					return err.Error()
				}
				return "restarted: a new registry, memory empty"
			}),
			act("x", "clear (memory and disk)", false, func(*env) string {
				c.expensive.Clear()
				return "cleared expensive_computation, its file too"
			}),
		},
	}
}

// compute is expensive_computation(a, b).
func (c *persistChapter) compute(ctx context.Context, in ab) (int, error) {
	if err := c.env.sleep(ctx); err != nil { // time.sleep(2)
		return 0, err
	}
	return in.A * in.B, nil
}

func (c *persistChapter) start(e *env) error {
	// @st.cache_data(persist="disk")
	c.expensive = cache.Data(e.reg, "expensive_computation", c.compute,
		cache.Persist())
	c.env = e
	return nil
}

func (c *persistChapter) page(p *Page) error {
	res, err := c.expensive.Get(p.Ctx, ab{2, 21})
	p.Write("Result:", res)
	return err
}
