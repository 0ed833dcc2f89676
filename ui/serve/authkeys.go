package serve

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// An authorizedKey is one line of an authorized_keys file, read as sshd(8)
// reads it (AUTHORIZED_KEYS FILE FORMAT): the key, its options and its
// comment. The file is usually ~/.ssh/authorized_keys, which sshd reads
// too, so a key that sshd restricts must not get more here.
type authorizedKey struct {
	key  ssh.PublicKey
	line int
	// name is whose key it is: the name="…" option (hitmiss's own; sshd
	// refuses a line with an option it does not know, so a file shared
	// with sshd names keys by their comment), else the comment.
	name string
	// from is the from="…" option's patterns (nil: any address).
	from []string
	// expiry is the expiry-time="…" option (zero: none).
	expiry time.Time
	// refused says why the key never opens a session ("" when it may):
	// the explorer needs a terminal and is not a command, so a key marked
	// no-pty, command="…" or restrict is refused, as is an option sshd
	// does not know either.
	refused string
}

// optionsIgnored are the sshd options that change nothing here: the
// server offers no forwarding, agent, X11, tunnel, rc file or environment.
var optionsIgnored = map[string]bool{
	"agent-forwarding": true, "no-agent-forwarding": true, "port-forwarding": true, "no-port-forwarding": true,
	"x11-forwarding": true, "no-x11-forwarding": true, "user-rc": true, "no-user-rc": true, "pty": true,
	"no-touch-required": true, "verify-required": true,
	"environment": true, "permitopen": true, "permitlisten": true, "tunnel": true,
}

// parseAuthorizedKeys reads the lines of an authorized_keys file. A line
// whose key does not parse, or whose from= or expiry-time= is malformed,
// is an error naming it: sshd would skip it, but a server that silently
// lets in fewer keys than its operator listed is harder to trust.
func parseAuthorizedKeys(path string, b []byte) ([]authorizedKey, error) {
	var keys []authorizedKey
	for i, line := range bytes.Split(b, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) == 0 || line[0] == '#' {
			continue
		}
		k, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("--authorized-keys %s: line %d: %w", path, i+1, err)
		}
		ak := authorizedKey{key: k, line: i + 1, name: strings.TrimSpace(comment)}
		for _, opt := range options {
			name, value, hasValue := strings.Cut(opt, "=")
			name = strings.ToLower(name)
			if hasValue {
				value = unquoteOption(value)
			}
			switch {
			case name == "name" && hasValue:
				ak.name = value
			case name == "from" && hasValue:
				ak.from = strings.Split(value, ",")
				for _, p := range ak.from {
					if err := checkPattern(p); err != nil {
						return nil, fmt.Errorf("--authorized-keys %s: line %d: from=%q: %v", path, i+1, value, err)
					}
				}
			case name == "expiry-time" && hasValue:
				if ak.expiry, err = parseExpiry(value); err != nil {
					return nil, fmt.Errorf("--authorized-keys %s: line %d: expiry-time=%q: %v", path, i+1, value, err)
				}
			case name == "no-pty":
				ak.refuse("no-pty: the explorer needs a terminal")
			case name == "command" && hasValue:
				ak.refuse("command=: the explorer is not a command, and sshd would run only that one")
			case name == "restrict":
				ak.refuse("restrict: the key is meant for a restricted use, not the explorer")
			case name == "cert-authority" || name == "principals":
				ak.refuse(name + ": certificates are not accepted here")
			case optionsIgnored[name]:
			default:
				ak.refuse(fmt.Sprintf("unknown option %q (sshd refuses it too)", name))
			}
		}
		keys = append(keys, ak)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--authorized-keys %s: no public keys in it, so no one could connect", path)
	}
	return keys, nil
}

func (k *authorizedKey) refuse(why string) {
	if k.refused == "" {
		k.refused = why
	}
}

// unquoteOption is an option's value: between double quotes, where \" is
// a quote, as sshd reads it.
func unquoteOption(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	return strings.ReplaceAll(v, `\"`, `"`)
}

// parseExpiry reads expiry-time's YYYYMMDD[HHMM[SS]], in local time, or
// UTC with a trailing Z.
func parseExpiry(v string) (time.Time, error) {
	loc := time.Local
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		loc, v = time.UTC, v[:len(v)-1]
	}
	layouts := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}
	layout, ok := layouts[len(v)]
	if !ok {
		return time.Time{}, fmt.Errorf("want YYYYMMDD[HHMM[SS]][Z]")
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("want YYYYMMDD[HHMM[SS]][Z]")
	}
	return t, nil
}

// checkPattern refuses a from= pattern that could never be read right: a
// malformed CIDR block makes sshd refuse the key, and so does this.
func checkPattern(p string) error {
	p = strings.TrimPrefix(strings.TrimSpace(p), "!")
	if p == "" {
		return fmt.Errorf("an empty pattern")
	}
	if strings.Contains(p, "/") {
		if _, err := netip.ParsePrefix(p); err != nil {
			return fmt.Errorf("%q is not an address/bits block", p)
		}
	}
	return nil
}

// fromAllows reports whether addr is let in by patterns, as sshd's
// from="…" matches an address (UseDNS off): a negated pattern (!) that
// matches refuses, whatever else matches; otherwise one pattern must
// match — an address/bits block, or a pattern with * and ? against the
// address's text.
func fromAllows(patterns []string, addr net.Addr) bool {
	if patterns == nil {
		return true
	}
	ip := remoteIP(addr)
	if !ip.IsValid() {
		return false
	}
	ip = ip.Unmap()
	allowed := false
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		var match bool
		if strings.Contains(p, "/") {
			prefix, err := netip.ParsePrefix(p)
			match = err == nil && prefix.Contains(ip)
		} else {
			match = wildcard(strings.ToLower(p), ip.String())
		}
		if match && neg {
			return false
		}
		allowed = allowed || match
	}
	return allowed
}

func remoteIP(addr net.Addr) netip.Addr {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		ip, _ := netip.AddrFromSlice(tcp.IP)
		return ip
	}
	if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
		return ap.Addr()
	}
	return netip.Addr{}
}

// wildcard matches s against p, where * is any run and ? any one
// character (sshd's match_pattern).
func wildcard(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if wildcard(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		default:
			if s == "" || p[0] != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// check says why k does not let a connection from addr in at now, or "".
func (k *authorizedKey) check(addr net.Addr, now time.Time) string {
	switch {
	case k.refused != "":
		return k.refused
	case !k.expiry.IsZero() && !now.Before(k.expiry):
		return fmt.Sprintf("expiry-time: expired %s", k.expiry.Format(time.DateTime))
	case !fromAllows(k.from, addr):
		return fmt.Sprintf("from=%q does not let in %s", strings.Join(k.from, ","), remoteIP(addr))
	}
	return ""
}

// match finds the line that lets key in from addr, as sshd does: the first
// line with the key whose options allow the connection. Without one, why
// says what the last line with the key refused ("" when no line has it).
func match(keys []authorizedKey, key ssh.PublicKey, addr net.Addr, now time.Time) (k *authorizedKey, why string) {
	for i := range keys {
		if !ssh.KeysEqual(key, keys[i].key) {
			continue
		}
		if why = keys[i].check(addr, now); why == "" {
			return &keys[i], ""
		}
		why = fmt.Sprintf("line %d: %s", keys[i].line, why)
	}
	return nil, why
}

// fingerprint is the key's SHA256 fingerprint, as ssh-keygen -l prints it.
func fingerprint(key ssh.PublicKey) string {
	if key == nil {
		return "no key"
	}
	return gossh.FingerprintSHA256(key)
}
