package demo

import (
	"context"
	"strconv"

	"github.com/hitmiss/hitmiss/cache"
)

// spinners is st.cache_data's show_spinner: a text while a miss
// computes, or nothing at all.
type spinners struct {
	env          *env
	x            int
	loud, silent *cache.Func[number, int]
}

func (c *spinners) about() about {
	return about{
		id:    "spinner",
		title: "Spinner and no spinner",
		seed:  "st.cache_data docs, the show_spinner parameter",
		show:  []string{"spinners.start", "spinners.page"},
		watch: "→: a new x for both. While fetch_data runs its spinner " +
			"says \"Fetching data from API...\"; fetch_quietly shows " +
			"nothing.",
		actions: []action{
			act("right l", "new argument", true, func(*env) string {
				c.x++
				return "x = " + strconv.Itoa(c.x)
			}),
		},
	}
}

// fetch is the slow call both functions make.
func (c *spinners) fetch(ctx context.Context, n number) (int, error) {
	return n.X, c.env.sleep(ctx)
}

func (c *spinners) start(e *env) error {
	// @st.cache_data(show_spinner="Fetching data from API...")
	c.loud = cache.Data(e.reg, "fetch_data", c.fetch,
		cache.Spinner("Fetching data from API..."))
	// @st.cache_data(show_spinner=False)
	c.silent = cache.Data(e.reg, "fetch_quietly", c.fetch,
		cache.NoSpinner())
	c.env, c.x = e, 1
	return nil
}

func (c *spinners) page(p *Page) error {
	a, err := c.loud.Get(p.Ctx, number{c.x})
	if err != nil {
		return err
	}
	b, err := c.silent.Get(p.Ctx, number{c.x})
	p.Write("fetch_data:", a, "· fetch_quietly:", b)
	return err
}
