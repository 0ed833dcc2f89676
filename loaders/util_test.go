package loaders

import (
	"compress/gzip"
	"io"
	"math/rand/v2"
)

func newRand() *rand.Rand { return rand.New(rand.NewPCG(7, 11)) }

func gzipWriter(w io.Writer) *gzip.Writer { return gzip.NewWriter(w) }
