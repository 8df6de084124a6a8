#include "sema/PrivateSpace.hpp"

namespace netsep::sema {

namespace {

bool overlap(const model::IpPrefix& a, const model::IpPrefix& b) {
    return a.contains(b) || b.contains(a);
}

std::string listed(const std::vector<model::IpPrefix>& parts) {
    constexpr size_t kShown = 3;
    std::string out;
    for (size_t i = 0; i < parts.size() && i < kShown; ++i)
        out += (i ? ", " : "") + parts[i].str();
    if (parts.size() > kShown)
        out += " and " + std::to_string(parts.size() - kShown) + " more";
    return out;
}

} // namespace

const std::vector<model::IpPrefix>& privateRanges() {
    static const std::vector<model::IpPrefix> ranges = [] {
        std::vector<model::IpPrefix> out;
        std::string err;
        for (const char* r :
             {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"})
            out.push_back(*model::parsePrefix(r, err));
        return out;
    }();
    return ranges;
}

void checkPrivateSpace(const model::Policy& policy, DiagnosticEngine& diags,
                       const std::vector<std::vector<SourceSpan>>& zoneSpans,
                       const std::vector<std::vector<SourceSpan>>& saasSpans) {
    for (const model::IpPrefix& range : privateRanges()) {
        // The first declaration that puts the range to internal use.
        std::optional<std::pair<SourceSpan, std::string>> use;
        for (uint32_t z = 0; z < policy.zones.size() && !use; ++z) {
            const model::Zone& zone = policy.zones[z];
            if (zone.kind == model::ZoneKind::Internet)
                continue;
            for (size_t i = 0; i < zone.networks.size() && !use; ++i)
                if (overlap(zone.networks[i], range))
                    use = {zoneSpans[z][i],
                           "zone '" + zone.name + "' declares " + zone.networks[i].str() + " here"};
        }
        for (uint32_t s = 0; s < policy.saas.size() && !use; ++s)
            for (size_t i = 0; i < policy.saas[s].networks.size() && !use; ++i)
                if (overlap(policy.saas[s].networks[i], range))
                    use = {saasSpans[s][i], "saas endpoint '" + policy.saas[s].name +
                                                "' declares " + policy.saas[s].networks[i].str() +
                                                " here"};
        if (!use)
            continue; // the policy never uses this range: it is what the policy says

        for (uint32_t z = 0; z < policy.zones.size(); ++z) {
            const model::Zone& zone = policy.zones[z];
            if (zone.kind != model::ZoneKind::Internet)
                continue;
            // What the zone owns inside the range; prefixes either nest or
            // are disjoint.
            std::vector<model::IpPrefix> owned;
            for (const model::IpPrefix& p : zone.addresses.prefixes(range.family)) {
                if (range.contains(p))
                    owned.push_back(p);
                else if (p.contains(range))
                    owned.push_back(range);
            }
            if (owned.empty())
                continue;
            model::AddressSet rest = model::AddressSet::of(owned);
            SourceSpan at = zone.span;
            for (size_t i = 0; i < zone.networks.size(); ++i) {
                if (range.contains(zone.networks[i]))
                    rest.subtract(zone.networks[i]); // declared external on purpose
                else if (zone.networks[i].contains(range))
                    at = zoneSpans[z][i];
            }
            if (rest.empty())
                continue;
            std::vector<model::IpPrefix> parts = rest.prefixes(range.family);
            Diagnostic w{Severity::Warning,
                         "W305",
                         "private range " + range.str() +
                             " is partly assigned to zones, but the "
                             "rest of it (" +
                             listed(parts) + ") falls into zone '" + zone.name +
                             "': rules from or to '" + zone.name +
                             "' match those addresses and the analysis counts them as internet",
                         at,
                         {{use->first, use->second}}};
            w.notes.emplace_back(at, "declare a zone for the rest of " + range.str() +
                                         " (e.g. zone corp { kind internal level sensitive "
                                         "networks " +
                                         range.str() + " } with your zones inside it), or list " +
                                         range.str() + " in the networks of zone '" + zone.name +
                                         "' to state that it is external");
            diags.report(std::move(w));
        }
    }
}

} // namespace netsep::sema
