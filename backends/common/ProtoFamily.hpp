#pragma once
#include "model/IpPrefix.hpp"
#include "model/Service.hpp"

namespace netsep::backends {

// Whether a match on `proto` can hit a packet of `family`: icmp is
// IPv4-only and icmpv6 IPv6-only, whatever the rule's v4/v6 flags say.
inline bool protoFitsFamily(model::Proto proto, model::Family family) {
    if (proto == model::Proto::Icmp)
        return family == model::Family::V4;
    if (proto == model::Proto::Icmpv6)
        return family == model::Family::V6;
    return true;
}

} // namespace netsep::backends
