// Package cachemetrics exports a cache.Registry's statistics to Prometheus:
// per cached function, the counters of Stats as counters and what it holds
// now as gauges, labelled by function name and kind.
//
//	reg := cache.NewRegistry()
//	prometheus.MustRegister(cachemetrics.New(reg))
//
// or, for a program that has no Prometheus registry of its own,
//
//	http.Handle("/metrics", cachemetrics.Handler(reg))
//
// The collector reads Registry.Stats on each scrape and keeps no state, so
// the numbers are exactly those Stats reports, with no double counting
// across scrapes.
package cachemetrics

import (
	"net/http"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultNamespace starts every metric name unless Namespace says otherwise.
const DefaultNamespace = "hitmiss"

// metric is one series per function, read from a Stats. The table form
// makes a new Stats field one line here.
type metric struct {
	name, help string
	kind       prometheus.ValueType
	value      func(cache.Stats) float64
}

var metrics = []metric{
	{"hits_total", "Calls served without running the function for the caller: from memory, from the store, stale, or by joining another caller's computation.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Hits) }},
	{"misses_total", "Calls that ran the function, or failed waiting for it.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Misses) }},
	{"store_hits_total", "Hits served from the second tier (a directory or a shared store such as Redis), decoded; counted in hits_total too.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.StoreHits) }},
	{"stale_serves_total", "Expired values served while they were refreshed in the background; counted in hits_total too.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Stale) }},
	{"expirations_total", "Entries removed because their TTL passed.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Expirations) }},
	{"evictions_total", "Entries removed to respect MaxEntries or MaxBytes.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Evictions) }},
	{"invalidations_total", "Entries dropped because Validate said no or a stored copy was unusable.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Invalidations) }},
	{"clears_total", "Clear and ClearArg calls, including registry-wide clears.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Clears) }},
	{"errors_total", "Computations that returned an error or panicked, and store operations that failed (the value was computed or kept in memory regardless).",
		prometheus.CounterValue, func(s cache.Stats) float64 { return float64(s.Errors) }},
	{"compute_seconds_total", "Time spent running the function.",
		prometheus.CounterValue, func(s cache.Stats) float64 { return s.ComputeTime.Seconds() }},
	{"entries", "Entries held in memory now.",
		prometheus.GaugeValue, func(s cache.Stats) float64 { return float64(s.Entries) }},
	{"bytes", "Estimated memory of the entries held now.",
		prometheus.GaugeValue, func(s cache.Stats) float64 { return float64(s.Bytes) }},
	{"in_flight", "Computations running now.",
		prometheus.GaugeValue, func(s cache.Stats) float64 { return float64(s.InFlight) }},
}

// Collector is a prometheus.Collector over one cache.Registry.
type Collector struct {
	reg   *cache.Registry
	descs []*prometheus.Desc // parallel to metrics
}

// Option configures a Collector.
type Option func(*options)

type options struct {
	namespace string
	labels    prometheus.Labels
}

// Namespace replaces "hitmiss" at the start of every metric name.
func Namespace(ns string) Option {
	return func(o *options) { o.namespace = ns }
}

// ConstLabels adds labels with fixed values to every series, such as the
// replica a process is, so that several processes sharing one store can be
// told apart.
func ConstLabels(l prometheus.Labels) Option {
	return func(o *options) { o.labels = l }
}

// New returns a collector of reg's statistics. Register it with a
// prometheus.Registerer; it may be registered once per registerer.
func New(reg *cache.Registry, opts ...Option) *Collector {
	o := options{namespace: DefaultNamespace}
	for _, opt := range opts {
		opt(&o)
	}
	c := &Collector{reg: reg}
	for _, m := range metrics {
		c.descs = append(c.descs, prometheus.NewDesc(
			prometheus.BuildFQName(o.namespace, "cache", m.name), m.help,
			[]string{"function", "kind"}, o.labels))
	}
	return c
}

// Describe sends the descriptors of every metric the collector exports.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

// Collect sends one sample of each metric per cached function, from one
// Stats snapshot per function.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.reg.Stats() {
		for i, m := range metrics {
			ch <- prometheus.MustNewConstMetric(c.descs[i], m.kind, m.value(s), s.Name, s.Kind.String())
		}
	}
}

// Handler serves reg's metrics, with the Go runtime's and the process's,
// in the Prometheus exposition format: what a program that has no
// Prometheus registry of its own mounts at /metrics.
func Handler(reg *cache.Registry, opts ...Option) http.Handler {
	pr := prometheus.NewRegistry()
	pr.MustRegister(New(reg, opts...),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return promhttp.HandlerFor(pr, promhttp.HandlerOpts{Registry: pr})
}
