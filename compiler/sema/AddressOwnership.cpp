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

    // What each prefix owns: itself minus the prefixes nested in it that
    // belong to someone else. The nested ones follow it in `all`, sorted by
    // address, so the difference is one sweep over them (a chain of
    // subtractions was quadratic for `internet` 0.0.0.0/0 around thousands
    // of zones). Each owner's ranges are collected and sorted once.
    std::vector<std::vector<model::AddressSet::Range>> zoneRanges(policy.zones.size()),
        saasRanges(policy.saas.size());
    for (size_t i = 0; i < all.size(); ++i) {
        if (dropped[i])
            continue;
        const Owned& p = all[i];
        auto& out = p.saas ? saasRanges[p.owner] : zoneRanges[p.owner];
        const model::Family f = p.prefix.family;
        model::u128 next = p.prefix.first(); // first address not yet decided
        bool done = false;                   // `next` passed the end of p
        for (size_t j = i + 1;
             j < all.size() && all[j].prefix.family == f && all[j].prefix.addr <= p.prefix.last();
             ++j) {
            const Owned& q = all[j];
            if (dropped[j] || !p.prefix.contains(q.prefix) || q.prefix == p.prefix ||
                (q.saas == p.saas && q.owner == p.owner))
                continue;
            if (done || q.prefix.last() < next)
                continue; // inside a prefix already carved out
            if (q.prefix.first() > next)
                out.push_back({f, next, q.prefix.first() - 1});
            if (q.prefix.last() == p.prefix.last())
                done = true;
            else
                next = q.prefix.last() + 1;
        }
        if (!done)
            out.push_back({f, next, p.prefix.last()});
    }
    for (size_t z = 0; z < zoneRanges.size(); ++z)
        if (!zoneRanges[z].empty())
            policy.zones[z].addresses = model::AddressSet::ofRanges(std::move(zoneRanges[z]));
    for (size_t s = 0; s < saasRanges.size(); ++s)
        if (!saasRanges[s].empty())
            policy.saas[s].addresses = model::AddressSet::ofRanges(std::move(saasRanges[s]));
}

} // namespace netsep::sema
