#include "sema/PublicExposure.hpp"

#include "model/PublicAddresses.hpp"

namespace netsep::sema {

void warnPublicAddresses(const model::Policy& policy,
                         const std::vector<std::vector<SourceSpan>>& zoneNetworkSpans,
                         DiagnosticEngine& diags) {
    const model::AddressSet& pub = model::publicAddresses();
    for (size_t z = 0; z < policy.zones.size(); ++z) {
        const model::Zone& zone = policy.zones[z];
        if (zone.kind &&
            (*zone.kind == model::ZoneKind::Internet || *zone.kind == model::ZoneKind::Saas))
            continue;
        if (!zone.addresses.intersects(pub))
            continue;
        const auto example = model::firstPublicPrefix(zone.addresses);
        SourceSpan at = zone.span;
        std::string from;
        for (size_t i = 0; example && i < zone.networks.size(); ++i) {
            if (!zone.networks[i].contains(*example))
                continue;
            if (z < zoneNetworkSpans.size() && i < zoneNetworkSpans[z].size())
                at = zoneNetworkSpans[z][i];
            from = zone.networks[i].str();
            break;
        }
        const std::string kind =
            zone.kind ? std::string("kind ") + model::zoneKindName(*zone.kind) : "no kind";
        diags.warning("W306", at,
                      "zone " + zone.name + " (" + kind + ") holds public address space (" +
                          (example ? example->str() : std::string("?")) +
                          (from.empty() || (example && from == example->str()) ? std::string()
                                                                               : " of " + from) +
                          "): the analysis treats it as exposed, like the internet; keep "
                          "internet addresses in a zone of kind internet");
    }
}

} // namespace netsep::sema
