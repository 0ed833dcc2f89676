package demo

import (
	"context"
	"fmt"

	"github.com/hitmiss/hitmiss/cache"
)

// sessions is Streamlit's scope="session": entries belong to the user
// whose call made them, and leave when that session ends.
type sessions struct {
	env  *env
	user string
	made int
	cart *cache.Func[noArgs, string]
}

func (c *sessions) about() about {
	return about{
		id:    "session",
		title: "Session scope: one entry per user",
		seed:  "st.cache_data scope=\"session\" (hitmiss SPEC 1.11)",
		show:  []string{"sessions.start", "sessions.loadCart", "sessions.page"},
		watch: "a reruns as A, b as B. B's first rerun MISSes: the cart is " +
			"A's alone. e ends A's session: A's next rerun MISSes, B's " +
			"HITs.",
		actions: []action{
			act("a", "rerun as user A", true, func(*env) string {
				c.user = "A"
				return "user A reruns"
			}),
			act("b", "rerun as user B", true, func(*env) string {
				c.user = "B"
				return "user B reruns"
			}),
			act("e", "end A's session", false, func(e *env) string {
				e.reg.EndSession("A")
				return "session A ended: its cart left the cache; a or b reruns"
			}).clearsPage(),
		},
	}
}

// loadCart is load_cart(): this user's shopping cart.
func (c *sessions) loadCart(ctx context.Context, _ noArgs) (string, error) {
	if err := c.env.sleep(ctx); err != nil {
		return "", err
	}
	c.made++
	return fmt.Sprintf("cart #%d", c.made), nil
}

func (c *sessions) start(e *env) error {
	// @st.cache_data(scope="session")
	c.cart = cache.Data(e.reg, "load_cart", c.loadCart,
		cache.ScopeSession())
	c.env, c.user = e, "A"
	return nil
}

func (c *sessions) page(p *Page) error {
	p.As(c.user) // the session of the user who reruns
	cart, err := c.cart.Get(p.Ctx, noArgs{})
	p.Write("user", c.user, "has", cart)
	return err
}
