// Package loaders registers the explorer's cached steps on a cache
// registry: a Source (a file, a URL, standard input or a bundled dataset)
// is loaded (LoadFunc), indexed into a DatasetModel (Model), filtered into
// rows, sorted, and shown — describe, value counts, histogram, group-by,
// frequency tables, charts and search matches. Every step after the model
// is keyed by a Stage (stage.go) and its own arguments (args.go and beside
// each step), so a rebuilt model is a new key.
//
// The work itself lives in packages under loaders/frame, named for what
// they are: frame (the Table), frame/csvread (the reader), frame/order
// (the sorts), frame/filter (the filter language) and frame/stats (the
// kernels). They never import loaders; loaders/export writes what the
// steps give.
package loaders
