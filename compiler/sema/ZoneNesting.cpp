#include "sema/ZoneNesting.hpp"

#include <algorithm>

namespace netsep::sema {

namespace {

struct Declared {
    model::IpPrefix prefix;
    bool saas;
    uint32_t owner;
    SourceSpan span;
};

std::string kindLevel(const model::Zone& z) {
    std::string out = z.kind ? model::zoneKindName(*z.kind) : "no kind";
    out += ", ";
    out += z.level ? model::levelName(*z.level) : "no level";
    return out;
}

// Both declared and different.
bool differ(const model::Zone& a, const model::Zone& b) {
    return (a.kind && b.kind && *a.kind != *b.kind) || (a.level && b.level && *a.level != *b.level);
}

} // namespace

void checkZoneNesting(const model::Policy& policy, DiagnosticEngine& diags,
                      const std::vector<std::vector<SourceSpan>>& zoneSpans,
                      const std::vector<std::vector<SourceSpan>>& saasSpans) {
    std::vector<Declared> all;
    for (uint32_t z = 0; z < policy.zones.size(); ++z)
        for (size_t i = 0; i < policy.zones[z].networks.size(); ++i)
            all.push_back({policy.zones[z].networks[i], false, z, zoneSpans[z][i]});
    for (uint32_t s = 0; s < policy.saas.size(); ++s)
        for (size_t i = 0; i < policy.saas[s].networks.size(); ++i)
            all.push_back({policy.saas[s].networks[i], true, s, saasSpans[s][i]});
    // Containers sort before what they contain; a stack of the prefixes that
    // contain the current one gives each its nearest container.
    std::stable_sort(all.begin(), all.end(),
                     [](const Declared& a, const Declared& b) { return a.prefix < b.prefix; });
    std::vector<const Declared*> stack;
    for (const Declared& d : all) {
        while (!stack.empty() && !stack.back()->prefix.contains(d.prefix))
            stack.pop_back();
        // The nearest container of another owner (the same prefix twice is
        // W301/E306, reported by address ownership).
        const Declared* outer = nullptr;
        for (auto it = stack.rbegin(); it != stack.rend(); ++it)
            if (((*it)->saas != d.saas || (*it)->owner != d.owner) &&
                !((*it)->prefix == d.prefix)) {
                outer = *it;
                break;
            }
        stack.push_back(&d);
        if (d.saas || !outer)
            continue;
        const model::Zone& child = policy.zones[d.owner];
        if (!outer->saas) {
            const model::Zone& parent = policy.zones[outer->owner];
            if (parent.kind == model::ZoneKind::Internet || child.parent == outer->owner)
                continue;
        }
        const unsigned deeper = d.prefix.len - outer->prefix.len;
        std::string outerName = outer->saas
                                    ? "saas endpoint '" + policy.saas[outer->owner].name + "'"
                                    : "zone '" + policy.zones[outer->owner].name + "'";
        std::string reason;
        if (outer->saas)
            reason = "a saas endpoint's network";
        else if (differ(child, policy.zones[outer->owner]))
            reason = "a zone of another kind or level (" + kindLevel(policy.zones[outer->owner]) +
                     " vs " + kindLevel(child) + ")";
        else if (deeper <= 2)
            reason = deeper == 1 ? "half of its network" : "a quarter of its network";
        else
            continue;
        Diagnostic w{
            Severity::Warning,
            "W304",
            "zone '" + child.name + "' takes " + d.prefix.str() + " out of " + outerName + " (" +
                outer->prefix.str() + "), " + reason + ": those addresses belong to '" +
                child.name + "' now, not to '" +
                (outer->saas ? policy.saas[outer->owner].name : policy.zones[outer->owner].name) +
                "'",
            d.span,
            {{outer->span, outerName + " declares " + outer->prefix.str() + " here"}}};
        if (!outer->saas)
            w.notes.emplace_back(child.span, "if this is intended, say so: zone " + child.name +
                                                 " in " + policy.zones[outer->owner].name +
                                                 " { ... }");
        diags.report(std::move(w));
    }

    // `zone NAME in PARENT`: every network inside one of PARENT's.
    for (uint32_t z = 0; z < policy.zones.size(); ++z) {
        const model::Zone& child = policy.zones[z];
        if (!child.parent)
            continue;
        const model::Zone& parent = policy.zones[*child.parent];
        for (size_t i = 0; i < child.networks.size(); ++i) {
            const model::IpPrefix& q = child.networks[i];
            bool inside =
                std::any_of(parent.networks.begin(), parent.networks.end(),
                            [&](const model::IpPrefix& p) { return p.contains(q) && !(p == q); });
            if (!inside)
                diags.error("E309", zoneSpans[z][i],
                            q.str() + " of zone '" + child.name + "' is not inside zone '" +
                                parent.name + "', which it is declared in ('zone " + child.name +
                                " in " + parent.name + "')");
        }
    }
}

} // namespace netsep::sema
