#include "review/FlowMatch.hpp"

namespace netsep::review {

analysis::ServiceSpace spaceOfMatch(const lower::Match& m) {
    using model::Proto;
    analysis::ServiceSpace s;
    model::ServiceEntry e;
    e.proto = m.proto;
    switch (m.proto) {
    case Proto::Any:
        return analysis::ServiceSpace::all();
    case Proto::Tcp:
    case Proto::Udp:
        if (m.ports.empty())
            s.add(e); // every port
        for (const auto& p : m.ports) {
            e.ports = p;
            s.add(e);
        }
        return s;
    case Proto::Icmp:
    case Proto::Icmpv6:
        if (m.icmpTypes.empty())
            s.add(e); // every type
        for (int t : m.icmpTypes) {
            e.icmpType = t;
            s.add(e);
        }
        return s;
    }
    return s;
}

FirewallMatcher::FirewallMatcher(const lower::LoweredFirewall& fw) : fw_(fw) {
    for (const auto& o : fw.objects) {
        std::vector<model::IpPrefix> all = o.v4;
        all.insert(all.end(), o.v6.begin(), o.v6.end());
        objects_.push_back(model::AddressSet::of(all));
    }
    for (size_t i = 0; i < fw.pairs.size(); ++i)
        pairs_.emplace(std::make_pair(fw.pairs[i].fromZone, fw.pairs[i].toZone), i);
}

const lower::ZonePair* FirewallMatcher::pair(const std::string& from, const std::string& to) const {
    auto it = pairs_.find({from, to});
    return it == pairs_.end() ? nullptr : &fw_.pairs[it->second];
}

bool FirewallMatcher::matches(const lower::LoweredRule& r, const model::IpPrefix& src,
                              const model::IpPrefix& dst) const {
    const bool v4 = src.family == model::Family::V4;
    if (!(v4 ? r.v4 : r.v6))
        return false; // the backends print no line for this family
    if ((r.match.proto == model::Proto::Icmp && !v4) ||
        (r.match.proto == model::Proto::Icmpv6 && v4))
        return false;
    return r.src < objects_.size() && r.dst < objects_.size() && objects_[r.src].contains(src) &&
           objects_[r.dst].contains(dst);
}

} // namespace netsep::review
