#pragma once
#include "model/AddressSet.hpp"

#include <optional>

namespace netsep::model {

// Address space reachable from the internet. A zone that owns any of it is
// an exposed source for the analysis whatever its kind: a rule from that
// zone admits those addresses, and whoever holds them on the internet.
//
// Not public (docs/security.md lists the sources):
//   IPv4: 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10 (shared, RFC 6598),
//         127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.0.0.0/24,
//         192.0.2.0/24, 192.168.0.0/16, 198.18.0.0/15, 198.51.100.0/24,
//         203.0.113.0/24 (documentation, RFC 5737), 224.0.0.0/4 (multicast),
//         240.0.0.0/4 (reserved, broadcast)
//   IPv6: everything outside 2000::/3 (unique local fc00::/7, link-local
//         fe80::/10, multicast, loopback, ...), and within it 2001:2::/48
//         (benchmarking), 2001:db8::/32 and 3fff::/20 (documentation).
const AddressSet& publicAddresses();

// A prefix of `set` that is public, or none: for messages.
std::optional<IpPrefix> firstPublicPrefix(const AddressSet& set);

} // namespace netsep::model
