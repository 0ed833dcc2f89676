package demo

import (
	"context"
	"sync/atomic"

	"github.com/hitmiss/hitmiss/cache"
)

// refresh is Streamlit's refresh_mode="background": an expired entry is still
// served, at once, while it is recomputed in the background.
type refresh struct {
	env    *env
	price  atomic.Int64
	prices *cache.Func[noArgs, int64]
}

func (c *refresh) about() about {
	return about{
		id:    "refresh",
		title: "Background refresh: stale at once, fresh soon",
		seed:  "st.cache_data refresh_mode=\"background\" (SPEC 1.10)",
		show:  []string{"refresh.start", "refresh.fetchPrice"},
		watch: "Wait until ttl says stale, then r: STALE, the old price at " +
			"once, recomputed in the background. The next r: a HIT, the " +
			"new price.",
	}
}

// fetchPrice is fetch_price(): each call sees a newer price.
func (c *refresh) fetchPrice(ctx context.Context, _ noArgs) (int64, error) {
	if err := c.env.sleep(ctx); err != nil {
		return 0, err
	}
	return 100 + c.price.Add(1), nil
}

func (c *refresh) start(e *env) error {
	// @st.cache_data(ttl=5, refresh_mode="background")
	c.prices = cache.Data(e.reg, "fetch_price", c.fetchPrice,
		cache.TTL(e.ttl), cache.RefreshInBackground())
	c.env = e
	return nil
}

func (c *refresh) page(p *Page) error {
	v, err := c.prices.Get(p.Ctx, noArgs{})
	p.Write("price:", v)
	return err
}
