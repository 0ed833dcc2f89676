// Package frame is the explorer's table: a Table of typed Columns that
// never changes once built, the RowSet that names some of its rows in some
// order, the column types and dates a user can set, the bridge to gota's
// DataFrame (Frame, TableOf) and the binary codec that lets a Table be
// persisted (EncodeTable, DecodeTable).
//
// frame imports nothing else of hitmiss's engine: the reader
// (frame/csvread), the sorts (frame/order), the filter language
// (frame/filter) and the kernels (frame/stats) build on it, and the cached
// steps in package loaders build on them.
package frame
