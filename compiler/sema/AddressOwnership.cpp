#include "sema/AddressOwnership.hpp"

#include <algorithm>

namespace netsep::sema {

namespace {
struct Owned {
    model::IpPrefix prefix;
    bool saas;
    uint32_t owner;
    SourceSpan span;
};

std::string ownerName(const model::Policy& p, const Owned& o) {
    return o.saas ? "saas endpoint '" + p.saas[o.owner].name + "'"
                  : "zone '" + p.zones[o.owner].name + "'";
}
} // namespace

void assignAddressOwnership(model::Policy& policy, DiagnosticEngine& diags,
                            const std::vector<std::vector<SourceSpan>>& zoneSpans,
                            const std::vector<std::vector<SourceSpan>>& saasSpans) {
    std::vector<Owned> all;
    for (uint32_t z = 0; z < policy.zones.size(); ++z)
        for (size_t i = 0; i < policy.zones[z].networks.size(); ++i)
            all.push_back({policy.zones[z].networks[i], false, z, zoneSpans[z][i]});
    for (uint32_t s = 0; s < policy.saas.size(); ++s)
        for (size_t i = 0; i < policy.saas[s].networks.size(); ++i)
            all.push_back({policy.saas[s].networks[i], true, s, saasSpans[s][i]});
    // Sorted by address then length: every prefix nested in `all[i]` follows it.
    std::stable_sort(all.begin(), all.end(),
                     [](const Owned& a, const Owned& b) { return a.prefix < b.prefix; });

    std::vector<bool> dropped(all.size(), false);
    for (size_t i = 0; i + 1 < all.size(); ++i) {
        if (all[i + 1].prefix == all[i].prefix) {
            const Owned& first = all[i];
            const Owned& again = all[i + 1];
            bool same = first.saas == again.saas && first.owner == again.owner;
            if (same) {
                diags.warning("W301", again.span,
                              "network " + again.prefix.str() + " is listed twice");
            } else {
                Diagnostic d{Severity::Error,
                             "E306",
                             "network " + again.prefix.str() + " is already declared by " +
                                 ownerName(policy, first) +
                                 "; an address must belong to exactly one zone",
                             again.span,
                             {{first.span, "first declared here"}}};
                diags.report(std::move(d));
            }
            dropped[i + 1] = true;
        }
    }

    for (size_t i = 0; i < all.size(); ++i) {
        if (dropped[i])
            continue;
        const Owned& p = all[i];
        model::AddressSet eff = model::AddressSet::of({p.prefix});
        for (size_t j = i + 1; j < all.size() && all[j].prefix.family == p.prefix.family &&
                               all[j].prefix.addr <= p.prefix.last();
             ++j) {
            const Owned& q = all[j];
            if (dropped[j] || !p.prefix.contains(q.prefix) || q.prefix == p.prefix)
                continue;
            if (q.saas != p.saas || q.owner != p.owner)
                eff.subtract(q.prefix);
        }
        if (p.saas)
            policy.saas[p.owner].addresses.add(eff);
        else
            policy.zones[p.owner].addresses.add(eff);
    }
}

} // namespace netsep::sema
