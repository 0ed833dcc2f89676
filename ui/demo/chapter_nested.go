package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/hitmiss/hitmiss/cache"
)

// file names a dataset in the event log: load_data(name="uber.csv").
type file struct{ Name string }

// CacheLabel implements the cache's label hook.
func (f file) CacheLabel() string { return fmt.Sprintf("name=%q", f.Name) }

// nested is a cached function calling another (the old st.cache page's
// Example 4 has an inner function; st.cache_data's nested spinners).
type nested struct {
	env      *env
	load     *cache.Func[file, []string]
	describe *cache.Func[file, string]
}

func (c *nested) about() about {
	return about{
		id:    "nested",
		title: "Nested cached functions",
		seed:  "old st.cache page, Example 4; st.cache_data spinners",
		show:  []string{"nested.start", "nested.loadData", "nested.describeData"},
		watch: "o clears the outer describe_data: it runs again, its inner " +
			"load_data is a HIT. i clears the inner one: still a HIT, " +
			"nothing asks.",
		actions: []action{
			act("o", "clear describe_data", true, func(*env) string {
				c.describe.Clear()
				return "cleared describe_data (the outer function)"
			}),
			act("i", "clear load_data", true, func(*env) string {
				c.load.Clear()
				return "cleared load_data (the inner function)"
			}),
		},
	}
}

// loadData is the inner function: it reads the file.
func (c *nested) loadData(ctx context.Context, f file) ([]string, error) {
	if err := c.env.sleep(ctx); err != nil {
		return nil, err
	}
	return []string{"Date/Time", "Lat", "Lon", "Base"}, nil
}

// describeData is the outer function: it calls loadData through the
// cache, so a miss here can be a hit there.
func (c *nested) describeData(ctx context.Context, f file) (string, error) {
	cols, err := c.load.Get(ctx, f) // ← a cached call inside
	if err != nil {
		return "", err
	}
	if err := c.env.sleep(ctx); err != nil {
		return "", err
	}
	return f.Name + ": " + strings.Join(cols, ", "), nil
}

func (c *nested) start(e *env) error {
	// @st.cache_data(show_spinner="Loading data…")
	c.load = cache.Data(e.reg, "load_data", c.loadData,
		cache.Spinner("Loading data…"))
	// @st.cache_data(show_spinner="Describing the data…")
	c.describe = cache.Data(e.reg, "describe_data", c.describeData,
		cache.Spinner("Describing the data…"))
	c.env = e
	return nil
}

func (c *nested) page(p *Page) error {
	d, err := c.describe.Get(p.Ctx, file{"uber.csv"})
	p.Write(d)
	return err
}
