package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/hitmiss/hitmiss/cache"
)

// frame is a small table: column name to values.
type frame map[string][]float64

// drop is pandas' df.drop(columns=[col], inplace=True).
func (f frame) drop(col string) error {
	if _, ok := f[col]; !ok {
		return fmt.Errorf("KeyError: \"['%s'] not found in axis\"", col)
	}
	delete(f, col)
	return nil
}

func (f frame) String() string {
	return strings.Join(slices.Sorted(maps.Keys(f)), ", ")
}

// copies is st.cache_data's "Copying behavior": the Uber example, where a
// resource-cached frame is corrupted by an in-place drop and a data-cached
// one is not.
type copies struct {
	env                 *env
	dropData, dropShare atomic.Bool
	data, shared        *cache.Func[file, frame]
}

func (c *copies) about() about {
	return about{
		id:    "copies",
		title: "Data copies vs shared resources (mutation)",
		seed:  "st.cache_data docs, Copying behavior (Uber df.drop)",
		show:  []string{"copies.loadData", "copies.start", "copies.page"},
		watch: "m drops Lat from the cache.Data copy: the next rerun has it " +
			"back. M drops it from the cache.Resource object: every later " +
			"rerun lacks Lat, and M again fails with a KeyError.",
		actions: []action{
			act("m", "drop Lat (data copy)", true, func(*env) string {
				c.dropData.Store(true)
				return "df.drop(columns=['Lat']) on the data copy"
			}),
			act("M", "drop Lat (resource!)", true, func(*env) string {
				c.dropShare.Store(true)
				return "df.drop(columns=['Lat']) on the shared resource"
			}),
		},
	}
}

// loadData is load_data(url): df = pd.read_csv(url).
func (c *copies) loadData(ctx context.Context, f file) (frame, error) {
	if err := c.env.sleep(ctx); err != nil {
		return nil, err
	}
	return frame{"Date/Time": {1, 2}, "Lat": {40.7, 40.8},
		"Lon": {-73.9, -74.0}, "Base": {2512, 2598}}, nil
}

func (c *copies) start(e *env) error {
	c.env = e
	c.data = cache.Data(e.reg, "load_data", c.loadData)
	c.shared = cache.Resource(e.reg, "load_shared", c.loadData)
	return nil
}

func (c *copies) page(p *Page) error {
	url := file{"uber-raw-data-sep14.csv"}
	df, err := c.data.Get(p.Ctx, url)
	if err != nil {
		return err
	}
	shared, err := c.shared.Get(p.Ctx, url)
	if err != nil {
		return err
	}
	p.Write("cache.Data     columns:", df)
	p.Write("cache.Resource columns:", shared)
	if c.dropData.Swap(false) {
		if err := df.drop("Lat"); err != nil {
			return err
		}
		p.Write("data copy: dropped Lat")
	}
	if c.dropShare.Swap(false) {
		if err := shared.drop("Lat"); err != nil {
			return err // the script stops here, as pandas raises
		}
		p.Write("resource:  dropped Lat")
	}
	return nil
}
