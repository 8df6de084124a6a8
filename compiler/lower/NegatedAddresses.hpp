#pragma once
#include "lower/LoweredPolicy.hpp"

#include <optional>
#include <vector>

namespace netsep::lower {

// For vendors whose rule negates a whole address field, both families at
// once (PAN-OS negate-source, Junos source-address-excluded, FortiOS
// srcaddr-negate): a negated object is written as "every address except
// Exclusion". Per family the exclusion is what the object does not hold:
// the firewall's declared prefixes where the object is negated, the whole
// family (a /0) where the object has no address of it, so the negation
// never lets the other family through.
struct Exclusion {
    std::vector<model::IpPrefix> v4, v6;
};

// The exclusion a negated object is written as; nullopt when the object is
// not negated, or when one negation cannot say it (negated in one family,
// explicit prefixes or FQDNs in the other): such an object is listed out
// (ExplicitAddresses with ListOut::Unexcludable).
std::optional<Exclusion> exclusionOf(const LoweredFirewall& fw, const AddressObject& o);

} // namespace netsep::lower
