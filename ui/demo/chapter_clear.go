package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/hitmiss/hitmiss/cache"
)

// model is a loaded model: a resource, shared.
type model struct{ name string }

// clearing is the clear calls: one argument (st: square.clear(2)), one
// function (square.clear()), all data (st.cache_data.clear()), all
// resources (st.cache_resource.clear()).
type clearing struct {
	env          *env
	square, cube *cache.Func[number, int]
	load         *cache.Func[noArgs, *model]
}

func (c *clearing) about() about {
	return about{
		id:    "clear",
		title: "Clearing: one call, one function, all data, all resources",
		seed:  "experimental primitives page, clear(); st.cache_*.clear()",
		show: []string{"clearing.start", "clearing.squareOf", "clearing.cubeOf",
			"clearing.page"},
		watch: "Each key clears, then reruns: D square(x=2) only, x all of " +
			"square, X every Data function, Z every Resource, E " +
			"everything.",
		actions: []action{
			act("D", "clear square(x=2)", true, func(*env) string {
				c.square.ClearArg(number{2}) // st: square.clear(2)
				return "cleared square(x=2)"
			}),
			act("x", "clear square", true, func(*env) string {
				c.square.Clear()
				return "cleared square: every argument"
			}),
			act("X", "clear all data", true, func(e *env) string {
				e.reg.ClearData()
				return "cleared every data function"
			}),
			act("Z", "clear all resources", true, func(e *env) string {
				e.reg.ClearResources()
				return "cleared every resource function"
			}),
			act("E", "clear everything", true, func(e *env) string {
				e.reg.ClearAll()
				return "cleared everything"
			}),
		},
	}
}

// squareOf is square(x).
func (c *clearing) squareOf(ctx context.Context, n number) (int, error) {
	return n.X * n.X, c.env.sleep(ctx)
}

// cubeOf is cube(x).
func (c *clearing) cubeOf(ctx context.Context, n number) (int, error) {
	return n.X * n.X * n.X, c.env.sleep(ctx)
}

func (c *clearing) loadModel(ctx context.Context, _ noArgs) (*model, error) {
	return &model{"sentiment"}, c.env.sleep(ctx)
}

func (c *clearing) start(e *env) error {
	// @st.cache_data
	c.square = cache.Data(e.reg, "square", c.squareOf)
	// @st.cache_data
	c.cube = cache.Data(e.reg, "cube", c.cubeOf)
	// @st.cache_resource
	c.load = cache.Resource(e.reg, "load_model", c.loadModel)
	c.env = e
	return nil
}

func (c *clearing) page(p *Page) error {
	var squares []string
	for x := 1; x <= 3; x++ {
		v, err := c.square.Get(p.Ctx, number{x})
		if err != nil {
			return err
		}
		squares = append(squares, fmt.Sprintf("square(%d) = %d", x, v))
	}
	p.Write(strings.Join(squares, " · "))
	v, err := c.cube.Get(p.Ctx, number{2})
	if err != nil {
		return err
	}
	m, err := c.load.Get(p.Ctx, noArgs{})
	if err != nil {
		return err
	}
	p.Write(fmt.Sprintf("cube(2) = %d · model: %s", v, m.name))
	return nil
}
