package demo

import (
	"context"
	"sync/atomic"

	"github.com/hitmiss/hitmiss/cache"
)

// noArgs is the argument of a function that takes none: create_list().
type noArgs struct{}

// CacheLabel implements the cache's label hook.
func (noArgs) CacheLabel() string { return "" }

// listUsers is st.cache_data's "Concurrency issues": two users rerun a
// script that mutates a cached list. Users A and B are two sessions of
// this one process sharing one registry; `hitmiss serve` shares one
// registry across real terminals, one SSH session per user.
type listUsers struct {
	env      *env
	user     string
	copyMode atomic.Bool // s: st.cache_data instead of st.cache_resource
	shared   *cache.Func[noArgs, []int]
	copied   *cache.Func[noArgs, []int]
}

func (c *listUsers) about() about {
	return about{
		id:    "users",
		title: "The list example for two users",
		seed:  "st.cache_data docs, Concurrency issues (l[0] = 2, 3, 4)",
		show:  []string{"listUsers.start", "listUsers.createList", "listUsers.page"},
		watch: "a reruns as user A, b as B. One shared Resource list: A " +
			"reads 2, B 3, A 4. s: cache.Data, a copy per call: every " +
			"user reads 2.",
		actions: []action{
			act("a", "rerun as user A", true, func(*env) string {
				c.user = "A"
				return "user A reruns"
			}),
			act("b", "rerun as user B", true, func(*env) string {
				c.user = "B"
				return "user B reruns"
			}),
			act("s", "switch Resource/Data", true, func(*env) string {
				if c.copyMode.Load() {
					c.copyMode.Store(false)
					return "now @st.cache_resource: one shared list"
				}
				c.copyMode.Store(true)
				return "now @st.cache_data: a copy per call"
			}).clearsPage(),
		},
	}
}

// createList is create_list(): l = [1, 2, 3].
func (c *listUsers) createList(context.Context, noArgs) ([]int, error) {
	return []int{1, 2, 3}, nil
}

func (c *listUsers) start(e *env) error {
	// @st.cache_resource: one list, shared
	c.shared = cache.Resource(e.reg, "create_list", c.createList)
	// @st.cache_data: a copy of the list per call (s)
	c.copied = cache.Data(e.reg, "create_list_data", c.createList)
	c.env, c.user = e, "A"
	return nil
}

func (c *listUsers) page(p *Page) error {
	p.As(c.user)
	f := c.shared
	if c.copyMode.Load() {
		f = c.copied
	}
	l, err := f.Get(p.Ctx, noArgs{})
	if err != nil {
		return err
	}
	firstListValue := l[0]
	l[0] = firstListValue + 1 // ← mutates the cached list?
	p.Write("l[0] is:", l[0])
	return nil
}
