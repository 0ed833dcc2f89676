package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hitmiss/hitmiss/cache"
)

// sliderArgs is get_data's argument: the value of the slider inside it.
// Streamlit adds the value of a widget inside a cached function to the
// call's key (experimental_allow_widgets=True); in Go the script passes
// it in, so it is in the key where it can be seen.
type sliderArgs struct{ NumRows int }

// CacheLabel implements the cache's label hook.
func (a sliderArgs) CacheLabel() string { return fmt.Sprintf("num_rows=%d", a.NumRows) }

// widgets is st.cache_data's "Input widgets": a slider inside a cached
// function is shown when the function runs and replayed on every hit,
// and each of its positions is an entry of its own.
type widgets struct {
	env  *env
	rows int // the slider's position: its widget state
	get  *cache.Func[sliderArgs, []int]
}

func (c *widgets) about() about {
	return about{
		id:    "widgets",
		title: "A widget inside a cached function, replayed",
		seed:  "st.cache_data docs, Input widgets (experimental_allow_widgets)",
		show:  []string{"widgets.start", "widgets.getData", "slider"},
		watch: "→ ← move the slider inside get_data: a new position is a " +
			"MISS and one more entry. Back to one seen: a HIT, the " +
			"slider replayed.",
		actions: []action{
			act("right l", "slider +10", true, func(*env) string {
				c.rows = min(c.rows+10, 100)
				return "slider: num_rows = " + strconv.Itoa(c.rows)
			}),
			act("left h", "slider -10", true, func(*env) string {
				c.rows = max(c.rows-10, 0)
				return "slider: num_rows = " + strconv.Itoa(c.rows)
			}),
		},
	}
}

// getData is get_data(), with the slider inside it.
func (c *widgets) getData(ctx context.Context, a sliderArgs) ([]int, error) {
	// num_rows = st.slider("Number of rows to get")
	n := slider(ctx, "Number of rows to get", a.NumRows)
	// data = api.get(..., num_rows)
	if err := c.env.sleep(ctx); err != nil {
		return nil, err
	}
	return make([]int, n), nil
}

// slider draws st.slider(label) at value (0 to 100) with cache.Emit, so a
// hit replays it, and returns its value.
func slider(ctx context.Context, label string, value int) int {
	at := value / 10
	cache.Emit(ctx, fmt.Sprintf("%s  0 %s●%s 100  [%d]", label,
		strings.Repeat("━", at), strings.Repeat("─", 10-at), value))
	return value
}

func (c *widgets) start(e *env) error {
	// @st.cache_data(experimental_allow_widgets=True)
	c.get = cache.Data(e.reg, "get_data", c.getData)
	c.env, c.rows = e, 20
	return nil
}

func (c *widgets) page(p *Page) error {
	data, err := c.get.Get(p.Ctx, sliderArgs{c.rows})
	p.Write("got", len(data), "rows")
	return err
}
