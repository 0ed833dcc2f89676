package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/hitmiss/hitmiss/cache"
)

// nArg is factorial's argument, labelled factorial(n=10).
type nArg struct{ N int }

// CacheLabel implements the cache's label hook.
func (a nArg) CacheLabel() string { return fmt.Sprintf("n=%d", a.N) }

// factorialChapter is the experimental primitives page's first example:
// a memoized factorial that calls itself through the cache, so computing
// factorial(10) leaves factorial(9) … factorial(0) cached on the way.
type factorialChapter struct {
	env  *env
	n    int
	mu   sync.Mutex
	ran  []int // the n whose body ran in this rerun
	fact *cache.Func[nArg, int]
}

func (c *factorialChapter) about() about {
	return about{
		id:    "factorial",
		title: "Recursive memo: factorial(9) after factorial(10)",
		seed:  "experimental primitives page and post, factorial",
		show:  []string{"factorialChapter.start", "factorialChapter.factorial"},
		watch: "factorial(10) runs 11 bodies, 10 down to 0, each cached. ← " +
			"factorial(9): a HIT at once (\"Returns instantly!\"). → runs " +
			"only the new n.",
		actions: []action{
			act("left h", "n - 1", true, func(*env) string {
				c.n = max(c.n-1, 0)
				return "n = " + strconv.Itoa(c.n)
			}),
			act("right l", "n + 1", true, func(*env) string {
				c.n = min(c.n+1, 20)
				return "n = " + strconv.Itoa(c.n)
			}),
			act("x", "clear factorial", true, func(*env) string {
				c.fact.Clear()
				return "cleared factorial: every n"
			}),
		},
	}
}

// factorial is factorial(n); it calls itself through the cache.
func (c *factorialChapter) factorial(ctx context.Context, a nArg) (int, error) {
	if err := c.step(ctx, a.N); err != nil { // time.sleep(0.2)
		return 0, err
	}
	if a.N < 1 {
		return 1, nil
	}
	f, err := c.fact.Get(ctx, nArg{a.N - 1}) // ← factorial(n - 1)
	return a.N * f, err
}

// step notes that factorial(n) ran, for the page, and sleeps a tenth of
// the seeds' time.sleep(2), so that factorial(10)'s eleven calls take
// about as long as one slow call.
func (c *factorialChapter) step(ctx context.Context, n int) error {
	c.mu.Lock()
	c.ran = append(c.ran, n)
	c.mu.Unlock()
	return sleepFor(ctx, c.env.slow/10)
}

func (c *factorialChapter) start(e *env) error {
	// @st.experimental_memo (@st.cache_data today)
	c.fact = cache.Data(e.reg, "factorial", c.factorial)
	c.env, c.n = e, 10
	return nil
}

func (c *factorialChapter) page(p *Page) error {
	c.mu.Lock()
	c.ran = nil
	c.mu.Unlock()
	f, err := c.fact.Get(p.Ctx, nArg{c.n})
	if err != nil {
		return err
	}
	p.Write(fmt.Sprintf("factorial(%d) = %d", c.n, f))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ran) == 0 {
		p.Write("ran: nothing, every call was cached")
		return nil
	}
	var calls []string
	for _, n := range c.ran {
		calls = append(calls, strconv.Itoa(n))
	}
	p.Write(fmt.Sprintf("ran: factorial(n) for n = %s (%s)",
		strings.Join(calls, ", "), plural(len(c.ran), "call")))
	return nil
}
