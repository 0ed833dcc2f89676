// Package cache memoizes Go functions the way Streamlit's st.cache_data and
// st.cache_resource do, with the rough edges fixed.
//
// # Two kinds of cached function
//
// Streamlit found that one cache serving two problems served both badly, and
// split it. So does this package:
//
//   - Data (st.cache_data) caches results of computation: frames, slices,
//     numbers. Every Get, hit or miss, returns a copy the caller owns, so no
//     caller can corrupt what the next one sees. Values with a Clone or Copy
//     method returning their own type (gota's DataFrame.Copy) are copied by
//     it; other values are deep-copied structurally. A value that cannot be
//     copied (holding a channel, say, or an OS handle: an *os.File, a
//     net.Conn, a sync.Mutex) is an *UnserializableReturnValueError.
//     Data entries can be persisted to disk.
//   - Resource (st.cache_resource) caches objects that do computation:
//     parsed models, indexes, connections. Every Get returns the same value,
//     shared by all callers, which must therefore be safe for concurrent use.
//     Resources can be validated on every hit and released when they leave.
//
// # Keys
//
// A Func is identified by its name, its Version and, for persisted entries,
// a fingerprint of the compiled function and the executable. An argument is
// identified by a canonical encoding of its content: its exact bytes when
// they are at most 16 KiB long (numbers, strings, structs and slices of
// ordinary size), compared in full on every lookup, or else their 256-bit
// BLAKE3 digest (a frame, whose bytes the key does not keep). Two different arguments therefore never
// share an entry, even when someone who has read this code chose them to;
// the fast hash of the in-memory table only says where to look. The
// encoding has no per-process seed, so an argument has the same key in
// every process of one binary, and its digest names its entry on disk and
// in a shared store. Values are encoded with their type tags (1, 1.0, true
// and "1" are different keys; so are userID(5) and orderID(5) returned by
// CacheKey, and the dynamic types behind an interface), integers at their
// own size on every platform, structs field by field including unexported
// fields, maps independently of iteration order, pointers by what they
// point to (cycles are detected), time.Time by instant. A gota DataFrame
// argument is encoded in full; an argument over 16 KiB costs its digest on
// every Get (BLAKE3, about 1–2 GB/s on one core).
//
// Func.SetVersion changes a function's version while the program runs, as
// editing its code does in Streamlit: later calls miss, and going back to a
// version serves again the entries a Data function made under it.
//
// Struct fields whose names start with an underscore, or that are tagged
// `cache:"-"`, are left out of the key: the Go spelling of Streamlit's
// _param rule. A type can supply its own key with a CacheKey() any method,
// and the HashFunc option overrides the hashing of any type. An argument
// that cannot be hashed (a func or chan not excluded) makes Get return an
// *UnhashableParamError naming the field, without running fn. Events name
// a call by its argument (load_csv("zipcodes")); an argument type with a
// CacheLabel() string method names itself there, for readable named
// arguments: value_counts(column="temp_max").
//
// # Lifetime
//
// TTL bounds an entry's life from its insertion; reads do not extend it.
// ExpireAfter gives each entry a lifetime of its own, chosen from its
// argument and value, which wins over TTL. An expired entry is never
// returned and leaves memory when it expires, not on the next access.
// MaxEntries and MaxBytes evict the least recently used entries, in O(1)
// per eviction; a value larger than MaxBytes on its own is handed to its
// caller but not cached. A Resource is never walked to be sized unless
// MaxBytes asks for its size: its owner may be changing it. WithMaxBytes
// bounds the bytes of every Data function of a registry together, evicting
// the least recently used entry across them. Func.All lists the entries in
// memory, with their sizes, expiries and hits.
//
// GetMany serves many arguments at once; with Batch, the ones it misses are
// computed by one call (a multi-get), keeping single-flight per key.
// WithTrace records every call, without its argument, for replaying under
// other settings (hitmiss whatif).
//
// Why LRU and not TinyLFU (otter, ristretto): the caches this package
// serves hold few, expensive entries (a parsed file, a model, a query
// result) behind a person's clicks, where the last thing looked at is the
// next most likely, and a scan of new keys is rare. TinyLFU's admission
// filter would refuse a freshly computed frame the user just asked for
// because older frames were asked for more often, and recomputing that
// frame costs seconds, not a cache line. LRU also keeps eviction exact and
// explainable in the app's event log.
//
// Recency is exact while hits take turns: one goroutine's hits, or those of
// goroutines one after another (the explorer's reruns), evict exactly the
// least recently used entry. Hits that overlap in time on several cores
// would otherwise all write one counter, passing its cache line between the
// cores on every hit, four times the cost of the rest of the hit; so once
// a bounded function sees two hits overlap, it records one hit in 64 per
// core until its next insert or eviction, as otter and Caffeine drop reads
// they have no room for. Then eviction picks among the least recently used
// approximately (an entry hit often is still recorded often), while hit
// counts stay exact: the room of SSH sessions hitting one model is served
// as fast as an unbounded cache, and one person's clicks exactly. Clear, ClearArg, Registry.ClearData, ClearResources and ClearAll
// are synchronous: when they return, the entries are gone from memory and
// disk, and a computation that was running during the clear delivers its
// value to its callers without storing it.
//
// Time comes from the registry's clock (WithClock), so tests can move it
// instead of sleeping.
//
// # Persisting
//
// Persist writes a Data function's entries under the registry's persist
// directory (WithPersistDir; by default os.UserCacheDir()/hitmiss), so the
// next process of the same binary reads them instead of computing. Files
// are written atomically and honour TTL; a damaged one is a miss plus an
// EventInvalidated. The directory must be the user's own and private
// (0700); when it is not, or when there is no user cache directory, the
// entries stay in memory and an EventError says why: there is no fallback
// to a shared directory. Entries carry an HMAC keyed by a secret file in
// the directory, so an entry planted by someone else is never served. The
// directory is kept under WithPersistBudget bytes (1 GiB by default), oldest
// files first out; leftovers of crashed writes and of other builds are
// removed; and only files the cache wrote are ever deleted.
//
// # Concurrency
//
// A Func is safe for concurrent use. Concurrent Gets of one missing key run
// fn once; the other callers wait for it and count as hits (GetOutcome says
// Joined). fn runs with a context that carries the first caller's values but
// not its cancellation: a caller whose context ends returns at once, and the
// computation is cancelled only when no caller is left waiting. When the
// first caller's context can never end (context.Background), fn simply runs
// on its goroutine; otherwise on a goroutine of its own. An error, a panic
// or a runtime.Goexit in fn reaches every waiting caller as an error and is
// never cached; fn calling Get for the very argument it is computing gets
// ErrRecursiveCall instead of waiting for itself. A caller's sink is never
// called after its Get has returned.
//
// A caller's ctx bounds its wait on the store as on fn: the store is read
// for a miss on the computation's goroutine, which the caller waits for as
// a joiner does. A panic or a runtime.Goexit in a Store, a codec,
// Validate or OnRelease never leaves a key in flight, a lock held or a
// joiner waiting: it is an error, on an Event, and the Get computes or
// fails with it.
//
// Registry.Close stops the expiry timers, releases every resource,
// cancels background refreshes and computations no caller waits for, and
// returns when every goroutine the registry started has ended; later Gets
// fail with ErrClosed.
//
// # A second tier: a directory or a shared store
//
// Persist Data functions write each entry through to the registry's Store
// and, on a memory miss, read it back before computing (GetOutcome says
// Stored). The default Store is NewDirStore on the persist directory:
// private to the user, entries checked with a keyed MAC, kept under a byte
// budget, cleaned of crashed writers' leftovers. WithStore puts another
// Store there; package cache/redisstore is one on Redis, so that processes
// and machines share what any of them computed (Streamlit's most requested
// cache feature, "each pod has its own cache").
//
// Entries are keyed in the store by the function's name and key (its
// Version, compiled code and build) and the argument's digest, so Clear,
// ClearArg, ClearData and ClearAll delete exactly this registry's
// functions' entries there and nothing else, and a build never reads
// another build's entries. Whatever a store holds is read as untrusted
// input: every length in an entry is checked against the bytes present
// before anything is allocated, so a planted value is a corrupt entry,
// never a huge allocation. Without WithStoreSecret, though, whoever can
// write to a shared store is trusted: they can plant a well-formed entry
// that the cache serves. With it, entries carry an HMAC-SHA256 under the
// secret, and an entry without a valid one is corrupt. The store keeps the function's TTL. An entry
// leaving memory (evicted, expired) stays in the store, which is what a
// second tier is for. A value that does not decode is a miss plus an
// EventInvalidated; a store that fails or is slow (Stores bound each
// operation) is a miss plus an EventError: a Get never fails, nor waits
// past the store's bound or its own context's end, because of its store. After a failure, loads and
// saves skip a WithStore store for a pause (1 s, doubling to a minute while
// it keeps failing), so a dead server costs misses nothing; clears always
// try it.
//
// A store that is also a Broadcaster (redisstore is, through Redis pub/sub)
// carries the clears themselves: Clear, ClearArg, ClearLabel, ClearData,
// ClearResources, ClearAll and SetVersion in one process drop the in-memory
// copies in every other process on the store, whose EventCleared says where
// the clear came from (Event.Origin, "clear in host pid N"). Messages are
// framed, bounded and checked like entries, MACed under WithStoreSecret,
// and anything else on the channel is ignored and counted
// (Registry.BroadcastStats). Messages sent while a process was cut off from
// the store are lost, so on subscribing again it drops every in-memory
// entry: Persist functions read theirs back from the store.
//
// # Refresh, warm, set
//
// RefreshInBackground (Streamlit's refresh_mode="background") serves an
// expired entry at once, as Stale, for one more TTL while a single
// background computation replaces it; if that fails, the stale entry goes
// and EventError says why. Func.Warm computes a list of arguments in parallel
// before anyone asks; Func.Set puts a value in as if fn had returned it.
//
// # Sessions
//
// A function with ScopeSession (Streamlit's scope="session") keeps its
// entries per session: the session of the caller's context, set with
// WithSession. Registry.EndSession drops a session's entries and runs
// OnRelease for them. Functions without the option are shared by every
// session, as resources are in Streamlit. Each Event carries the session
// of the call that caused it, and SessionOf tells a function computing an
// entry whose it is. (hitmiss serve makes each SSH connection a session.)
//
// # Observing
//
// Stats reports per function hits, misses, store hits, stale serves,
// expirations, evictions, invalidations, clears, errors, entries, bytes and
// compute time; the counts are exact under concurrency. Every Get that
// returned after hashing its argument is one hit or one miss: a hit when
// the cache served it a value, a miss otherwise, including a Get whose ctx
// ended while it waited. Package
// cache/cachemetrics exports them to Prometheus. Registry.Subscribe streams an Event
// for each of those happenings. Delivery never blocks: a subscriber that
// does not keep up loses events rather than slowing callers.
//
// Package cache/cachehttp serves both over HTTP, so a running program's
// caches can be watched from outside (hitmiss attach URL): its Handler
// answers GET /stats with Stats as JSON and GET /events with the events as
// server-sent events, each with its session. Its AdminHandler clears a
// function, one call (by the label its events carry, see
// Registry.ClearLabel) or everything, behind a bearer token; a program
// mounts it only if it chooses to, and only on a loopback address.
// cache/cachehttp/example/pricesvc is a small service that does both.
//
// # Element replay
//
// Streamlit replays the st.* calls a cached function made when it is served
// from the cache. Here, fn calls Emit(ctx, element) to hand an element to the
// caller's sink (installed with WithSink); the elements are recorded with
// the entry and delivered again, in order, on every hit. Cached functions
// called from inside another record into both, so an outer hit replays what
// its inner calls emitted.
package cache
