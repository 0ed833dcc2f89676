package cache

import (
	"errors"
	"fmt"
	"reflect"
)

// UnhashableParamError reports an argument that cannot be turned into a cache
// key: a func, a chan, an unsafe.Pointer, or anything holding one. Get returns
// it before fn runs, so nothing is computed.
type UnhashableParamError struct {
	Func string       // name of the cached function
	Path string       // where the value sits in the argument, e.g. "arg.Conn.done"
	Type reflect.Type // the type that cannot be hashed
}

func (e *UnhashableParamError) Error() string {
	return fmt.Sprintf("cache: %s: cannot hash argument %s of type %s; "+
		"exclude the field (name it with a leading _ or tag it `cache:\"-\"`), "+
		"give its type a CacheKey() any method, or register cache.HashFunc for %s",
		e.Func, e.Path, e.Type, e.Type)
}

// UnserializableReturnValueError reports a value returned by a Data function
// that cannot be copied or encoded, such as a channel, a func or anything
// holding one. Such objects belong in a Resource cache, which shares the
// value instead of copying it. The value is not cached.
type UnserializableReturnValueError struct {
	Func string       // name of the cached function
	Path string       // where the value sits in the result, e.g. "result.conn"
	Type reflect.Type // the type that cannot be copied
	Err  error        // the encoder's error, when encoding failed
}

func (e *UnserializableReturnValueError) Error() string {
	msg := fmt.Sprintf("cache: %s: cannot copy return value %s of type %s", e.Func, e.Path, e.Type)
	if e.Err != nil {
		msg = fmt.Sprintf("cache: %s: cannot encode return value of type %s: %v", e.Func, e.Type, e.Err)
	}
	return msg + "; cache objects that must be shared rather than copied with cache.Resource"
}

func (e *UnserializableReturnValueError) Unwrap() error { return e.Err }

// HashFuncError reports a HashFunc or CacheKey method that panicked or
// returned something that cannot be hashed itself.
type HashFuncError struct {
	Func string       // name of the cached function
	Path string       // where the value sits in the argument
	Type reflect.Type // the type whose hash function failed
	Err  error        // what went wrong inside it
}

func (e *HashFuncError) Error() string {
	return fmt.Sprintf("cache: %s: hash function for %s (argument %s) failed: %v", e.Func, e.Type, e.Path, e.Err)
}

func (e *HashFuncError) Unwrap() error { return e.Err }

// PanicError is returned to every caller waiting on a computation whose fn
// panicked. Like any error, it is never cached.
type PanicError struct {
	Func  string // name of the cached function
	Value any    // the value passed to panic
	Stack []byte // the goroutine's stack at the panic
}

func (e *PanicError) Error() string {
	if e.Value == ErrGoexit {
		return fmt.Sprintf("cache: %s: %v", e.Func, ErrGoexit)
	}
	return fmt.Sprintf("cache: %s panicked: %v", e.Func, e.Value)
}

// Unwrap returns the panic value when it is an error (panic(err), or
// ErrGoexit), so errors.Is and errors.As see through the panic.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// ErrGoexit is the Value of the *PanicError that callers get when fn left
// its goroutine through runtime.Goexit (t.FailNow or t.SkipNow called in a
// cached function) instead of returning.
var ErrGoexit = errors.New("fn exited through runtime.Goexit without returning")

// ErrClosed is returned (wrapped) by every Get after Registry.Close.
var ErrClosed = errors.New("registry is closed")

// ErrRecursiveCall is returned (wrapped) when fn, while computing the value
// for an argument, calls Get for that same argument, directly or through
// other cached functions: waiting for itself would never end.
var ErrRecursiveCall = errors.New("fn called Get for the argument it is computing")

// CorruptEntryError describes a persisted entry that could not be read back:
// truncated, corrupted, unreadable or written by another version. The entry
// is removed and the value recomputed; the error only travels on an Event.
type CorruptEntryError struct {
	Func string // name of the cached function
	Path string // the file on disk
	Err  error  // what was wrong with it
}

func (e *CorruptEntryError) Error() string {
	return fmt.Sprintf("cache: %s: persisted entry %s unusable: %v", e.Func, e.Path, e.Err)
}

func (e *CorruptEntryError) Unwrap() error { return e.Err }
