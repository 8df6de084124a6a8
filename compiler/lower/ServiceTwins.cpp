#include "lower/ServiceTwins.hpp"

#include <algorithm>

namespace netsep::lower {

namespace {

// Sorted and merged, so that two spellings of one port set compare equal.
std::vector<model::PortRange> canonical(std::vector<model::PortRange> ports) {
    std::sort(ports.begin(), ports.end());
    std::vector<model::PortRange> out;
    for (const auto& r : ports) {
        if (!out.empty() && r.lo <= out.back().hi + 1)
            out.back().hi = std::max(out.back().hi, r.hi);
        else
            out.push_back(r);
    }
    if (out.size() == 1 && out.front().all())
        out.clear(); // every port, as an empty list says
    return out;
}

} // namespace

bool tcpUdpTwins(const LoweredRule& a, const LoweredRule& b) {
    return a.match.proto == model::Proto::Tcp && b.match.proto == model::Proto::Udp && !a.global &&
           !b.global && a.src == b.src && a.dst == b.dst && a.action == b.action &&
           a.log == b.log && a.v4 == b.v4 && a.v6 == b.v6 && a.killSwitch == b.killSwitch &&
           a.policyRule == b.policyRule && a.where == b.where && a.identity == b.identity &&
           a.identityGroup == b.identityGroup &&
           canonical(a.match.ports) == canonical(b.match.ports);
}

} // namespace netsep::lower
