package demo

import (
	"context"
	"fmt"
	"sync"

	"github.com/hitmiss/hitmiss/cache"
)

// source is obj_a: an object whose identity matters, not its content.
type source struct {
	Name string
	ID   int `cache:"-"` // id(obj_a): a number per object, not hashed
}

// player is obj_b = factory(obj_a): in the seed a C-extension object,
// which cannot be pickled.
type player struct {
	Serial int // which call of factory made it
	From   int // id(obj_a) of the obj_a it was made from
}

// identity is the question a streamlit-webrtc author asked under the post
// that introduced memo and singleton: keep obj_b = factory(obj_a) the same
// object over reruns for as long as obj_a is the same object. memo
// (cache.Data) hands out copies; singleton keyed by value would keep obj_b
// when obj_a is replaced by an equal object. A Resource whose HashFunc is
// obj_a's identity does what React.memo does.
type identity struct {
	env        *env
	mu         sync.Mutex
	objects    int // obj_a made so far
	made       int // obj_b made so far
	a          *source
	lastB      *player
	lastCopy   *player
	factory    *cache.Func[*source, *player]
	copyByData *cache.Func[*source, *player]
}

func (c *identity) about() about {
	return about{
		id:    "identity",
		title: "A memo that keeps object identity",
		seed:  "memo and singleton post, streamlit-webrtc's question",
		show:  []string{"identity.start", "id", "identity.page"},
		watch: "r: factory gives the same obj_b; the Data memo a copy each " +
			"time. a: a new obj_a, equal to the old: factory MISSes, a " +
			"new obj_b.",
		actions: []action{
			act("a", "new obj_a (same content)", true, func(*env) string {
				c.a = c.newSource(c.a.Name)
				return fmt.Sprintf("obj_a is a new object: id #%d", c.a.ID)
			}),
		},
	}
}

// newSource is a new obj_a, with an id of its own.
func (c *identity) newSource(name string) *source {
	c.objects++
	return &source{Name: name, ID: c.objects}
}

// id is what factory is keyed by: id(obj_a), whatever its content.
func id(a *source) any { return a.ID }

// makePlayer is factory(obj_a): slow, and a new object each time it runs.
func (c *identity) makePlayer(ctx context.Context, a *source) (*player, error) {
	if err := c.env.sleep(ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.made++
	made := c.made
	c.mu.Unlock()
	return &player{Serial: made, From: a.ID}, nil
}

func (c *identity) start(e *env) error {
	// @st.cache(hash_funcs={Source: id}): the seed's hack, by identity
	c.factory = cache.Resource(e.reg, "factory", c.makePlayer,
		cache.HashFunc(id))
	// @st.experimental_memo: keyed by obj_a's content, returns copies
	c.copyByData = cache.Data(e.reg, "factory_memo", c.makePlayer)
	c.env = e
	c.a = c.newSource("webcam")
	return nil
}

func (c *identity) page(p *Page) error {
	p.Write(fmt.Sprintf("obj_a: id #%d, %q", c.a.ID, c.a.Name))
	b, err := c.factory.Get(p.Ctx, c.a)
	if err != nil {
		return err
	}
	p.Write("factory:      obj_b", sameness(b, c.lastB))
	c.lastB = b
	m, err := c.copyByData.Get(p.Ctx, c.a)
	if err != nil {
		return err
	}
	p.Write("factory_memo: obj_b", sameness(m, c.lastCopy))
	c.lastCopy = m
	return nil
}

// sameness says which obj_b a rerun got, and whether it is the very
// object the rerun before got.
func sameness(b, last *player) string {
	s := fmt.Sprintf("#%d (made from obj_a #%d)", b.Serial, b.From)
	switch {
	case b == last:
		return s + ": the same object as last rerun"
	case last != nil && b.Serial == last.Serial:
		return s + ": a copy, not the same object"
	}
	return s + ": a new object"
}

// CacheLabel implements the cache's label hook: factory(obj_a="webcam").
func (a *source) CacheLabel() string {
	return fmt.Sprintf("obj_a=#%d %q", a.ID, a.Name)
}
