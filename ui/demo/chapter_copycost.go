package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/internal/bytesize"
)

// rowsArg is how many rows load_rides builds, labelled rows=1000000.
type rowsArg struct{ N int }

// CacheLabel implements the cache's label hook.
func (a rowsArg) CacheLabel() string { return fmt.Sprintf("rows=%d", a.N) }

// rides is a table of four float columns, as in the seed's benchmark.
type rides struct{ Time, Lat, Lon, Base []float64 }

// copyCost is st.cache_data's "Dealing with large data": every Data hit
// hands out a copy of the whole table, which takes time in proportion to
// its size; a Resource hit hands out the object itself, copying nothing.
type copyCost struct {
	env        *env
	rows       int
	data, res  *cache.Func[rowsArg, *rides]
	lastShared *rides // the resource's object at the last rerun
}

// copySizes are the table sizes ← and → step through.
var copySizes = []int{10_000, 100_000, 1_000_000}

func (c *copyCost) about() about {
	return about{
		id:    "copycost",
		title: "The cost of a Data hit: a 1M-row copy vs zero",
		seed:  "st.cache_data docs, Dealing with large data",
		show:  []string{"copyCost.start", "copyCost.page"},
		watch: "r: both HITs, but the Data hit copies every row (its time " +
			"grows with ← →); the Resource hit copies nothing: the same " +
			"object.",
		actions: []action{
			act("left h", "fewer rows", true, func(*env) string {
				c.rows = max(c.rows-1, 0)
				return fmt.Sprintf("rows = %d", copySizes[c.rows])
			}),
			act("right l", "more rows", true, func(*env) string {
				c.rows = min(c.rows+1, len(copySizes)-1)
				return fmt.Sprintf("rows = %d", copySizes[c.rows])
			}),
		},
	}
}

// loadRides builds the table: df = pd.read_csv(url), n rows.
func (c *copyCost) loadRides(ctx context.Context, a rowsArg) (*rides, error) {
	if err := c.env.sleep(ctx); err != nil { // time.sleep(2)
		return nil, err
	}
	r := &rides{make([]float64, a.N), make([]float64, a.N),
		make([]float64, a.N), make([]float64, a.N)}
	for i := range a.N {
		r.Time[i], r.Lat[i] = float64(i), 40.7+float64(i%100)/1e3
		r.Lon[i], r.Base[i] = -74+float64(i%50)/1e3, float64(2512+i%4)
	}
	return r, nil
}

func (c *copyCost) start(e *env) error {
	// @st.cache_data: every call gets its own copy
	c.data = cache.Data(e.reg, "load_rides", c.loadRides)
	// @st.cache_resource: every call gets the one object
	c.res = cache.Resource(e.reg, "load_rides_shared", c.loadRides)
	c.env, c.rows = e, len(copySizes)-1
	return nil
}

func (c *copyCost) page(p *Page) error {
	n := rowsArg{copySizes[c.rows]}
	began := time.Now()
	df, how, err := c.data.GetOutcome(p.Ctx, n) // a copy of n rows
	took := time.Since(began)
	if err != nil {
		return err
	}
	p.Write(fmt.Sprintf("cache.Data     %-4s %s in %s", how,
		copied(df.bytes()), human(took)))
	began = time.Now()
	shared, how, err := c.res.GetOutcome(p.Ctx, n) // the object itself
	took = time.Since(began)
	if err != nil {
		return err
	}
	same := "a new object"
	if shared == c.lastShared {
		same = "the same object as the last rerun"
	}
	c.lastShared = shared
	p.Write(fmt.Sprintf("cache.Resource %-4s %s in %s, %s", how,
		copied(0), human(took), same))
	return nil
}

// bytes is the size of the table's cells.
func (r *rides) bytes() int64 {
	return 8 * int64(len(r.Time)+len(r.Lat)+len(r.Lon)+len(r.Base))
}

// copied says how many bytes a call copied.
func copied(n int64) string {
	return bytesize.Human(n) + " copied"
}
