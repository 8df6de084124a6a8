#include "lower/NegationByOrder.hpp"

#include <algorithm>

namespace netsep::lower {

namespace {

bool isNegated(const AddressObject& o) {
    return o.negatedV4 || o.negatedV6;
}

// Whether one prefix of the sorted, disjoint `set` contains `p`.
bool covered(const std::vector<model::IpPrefix>& set, const model::IpPrefix& p) {
    auto it = std::upper_bound(set.begin(), set.end(), p.addr,
                               [](model::u128 a, const model::IpPrefix& q) { return a < q.addr; });
    return it != set.begin() && std::prev(it)->contains(p);
}

// Whether every address of `o` is one the exclusion holds: then `o` and the
// negated object never match the same address.
bool insideExclusion(const AddressObject& o, const Exclusion& e) {
    if (isNegated(o) || !o.fqdns.empty())
        return false;
    return std::all_of(o.v4.begin(), o.v4.end(), [&](const auto& p) { return covered(e.v4, p); }) &&
           std::all_of(o.v6.begin(), o.v6.end(), [&](const auto& p) { return covered(e.v6, p); });
}

// Whether some packet can match both (protocol, ports, ICMP types).
bool overlap(const Match& a, const Match& b) {
    using model::Proto;
    if (a.proto == Proto::Any || b.proto == Proto::Any)
        return true;
    if (a.proto != b.proto)
        return false;
    if (a.proto == Proto::Tcp || a.proto == Proto::Udp) {
        if (a.ports.empty() || b.ports.empty())
            return true;
        for (const auto& x : a.ports)
            for (const auto& y : b.ports)
                if (x.lo <= y.hi && y.lo <= x.hi)
                    return true;
        return false;
    }
    if (a.icmpTypes.empty() || b.icmpTypes.empty())
        return true;
    return std::any_of(a.icmpTypes.begin(), a.icmpTypes.end(), [&](int t) {
        return std::find(b.icmpTypes.begin(), b.icmpTypes.end(), t) != b.icmpTypes.end();
    });
}

} // namespace

std::optional<NegationByOrder> negationByOrder(const LoweredFirewall& fw,
                                               const std::vector<const LoweredRule*>& rules) {
    std::optional<NegationByOrder> plan;
    for (const LoweredRule* r : rules) {
        const bool src = isNegated(fw.objects[r->src]), dst = isNegated(fw.objects[r->dst]);
        if (!src && !dst)
            continue;
        const auto side = src ? NegationByOrder::Side::Source : NegationByOrder::Side::Destination;
        const uint32_t object = src ? r->src : r->dst;
        if (src && dst)
            return std::nullopt;
        if (!plan) {
            plan.emplace();
            plan->side = side;
            plan->object = object;
        } else if (plan->side != side || plan->object != object) {
            return std::nullopt;
        }
    }
    if (!plan)
        return std::nullopt;
    auto exclusion = exclusionOf(fw, fw.objects[plan->object]);
    if (!exclusion)
        return std::nullopt;
    plan->exclusion = std::move(*exclusion);

    const bool onSource = plan->side == NegationByOrder::Side::Source;
    std::vector<char> disjoint(fw.objects.size(), -1); // per object, computed once
    for (const LoweredRule* r : rules) {
        const uint32_t o = onSource ? r->src : r->dst;
        if (o == plan->object) {
            plan->after.push_back(r);
            continue;
        }
        if (disjoint[o] < 0)
            disjoint[o] = insideExclusion(fw.objects[o], plan->exclusion);
        // A rule that may match the negated object's addresses (an FQDN)
        // moves ahead of its earlier rules: only where no packet could
        // match both with another verdict.
        if (!disjoint[o])
            for (const LoweredRule* earlier : plan->after)
                if (earlier->action != r->action && overlap(earlier->match, r->match))
                    return std::nullopt;
        plan->before.push_back(r);
    }
    return plan;
}

} // namespace netsep::lower
