package demo

import (
	"context"

	"github.com/hitmiss/hitmiss/cache"
)

// replayChapter is st.cache_data's "Using Streamlit commands in cached
// functions": what a cached function shows is recorded and replayed on
// every hit.
type replayChapter struct {
	env *env
	api *cache.Func[noArgs, []int]
}

func (c *replayChapter) about() about {
	return about{
		id:    "replay",
		title: "Element replay: messages come back on hits",
		seed:  "st.cache_data docs, Static elements (st.success)",
		show:  []string{"replayChapter.start", "replayChapter.getAPIData"},
		watch: "r: a HIT that shows get_api_data's two messages again " +
			"without running it: \"2 messages replayed\". x clears it: it " +
			"runs again.",
		actions: []action{
			act("x", "clear get_api_data", true, func(*env) string {
				c.api.Clear()
				return "cleared get_api_data"
			}),
		},
	}
}

// getAPIData is get_api_data(): cache.Emit is st.success inside it.
func (c *replayChapter) getAPIData(ctx context.Context,
	_ noArgs) ([]int, error) {
	cache.Emit(ctx, "Header: Data analysis")
	if err := c.env.sleep(ctx); err != nil { // data = api.get(...)
		return nil, err
	}
	cache.Emit(ctx, "✔ Fetched data from API!") // ← st.success(...)
	return []int{3, 1, 4, 1, 5}, nil
}

func (c *replayChapter) start(e *env) error {
	// @st.cache_data
	c.api = cache.Data(e.reg, "get_api_data", c.getAPIData)
	c.env = e
	return nil
}

func (c *replayChapter) page(p *Page) error {
	data, err := c.api.Get(p.Ctx, noArgs{})
	p.Write("data:", data)
	return err
}
