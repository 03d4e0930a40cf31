package handlers

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseProxies reads TRUSTED_PROXIES entries: single addresses or CIDR
// ranges. The error names the entry that is neither.
func ParseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", s)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func trusted(a netip.Addr, proxies []netip.Prefix) bool {
	for _, p := range proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientAddrKey struct{}

// withClientAddr decides once per request where it came from (clientAddr,
// honouring TRUSTED_PROXIES) and keeps the answer in the request's context.
// The rate limiters, sign-in throttling and the audit log all read it from
// there (requestAddr), so no handler can pick another address: behind a
// proxy, one reading the proxy's own address would count every client's
// failures together and lock all staff out.
func (s *server) withClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := clientAddr(r, s.TrustedProxies)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientAddrKey{}, a)))
	})
}

// requestAddr is the client address withClientAddr decided for r; the
// zero Addr for a request that did not pass through it.
func requestAddr(r *http.Request) netip.Addr {
	a, _ := r.Context().Value(clientAddrKey{}).(netip.Addr)
	return a
}

// requestAddrText is requestAddr as the audit log and sign-in throttling
// store it.
func requestAddrText(r *http.Request) string {
	if a := requestAddr(r); a.IsValid() {
		return a.String()
	}
	return "unknown"
}

// clientAddr is the address a request came from. X-Forwarded-For is believed
// only hop by hop from the right while each hop is a trusted proxy, so a
// client cannot pick its own address by sending the header itself. Only
// withClientAddr calls it; everything else reads requestAddr.
func clientAddr(r *http.Request, proxies []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	addr = addr.Unmap()
	if len(proxies) == 0 || !trusted(addr, proxies) {
		return addr
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0 && trusted(addr, proxies); i-- {
		h := strings.TrimSpace(hops[i])
		next, err := netip.ParseAddr(h)
		if err != nil {
			break // a garbled hop: keep the last address we can vouch for
		}
		addr = next.Unmap()
	}
	return addr
}

// limitKey groups addresses the way one client holds them: an IPv4 address
// alone, an IPv6 address by its /64 (one household or host gets a whole /64).
func limitKey(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}
