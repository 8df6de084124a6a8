#include "sema/IsolationNote.hpp"

#include "model/Isolation.hpp"

namespace netsep::sema {

void noteIsolatedZones(const model::Policy& policy, DiagnosticEngine& diags) {
    std::vector<std::string> first(policy.zones.size());
    std::vector<size_t> counts(policy.zones.size(), 0);
    for (const model::Group& g : policy.groups)
        if (g.zone < policy.zones.size() && counts[g.zone]++ == 0)
            first[g.zone] = "group '" + g.name + "'";
    for (uint32_t z : model::reliedOnIsolatedZones(policy)) {
        std::string held = counts[z] == 1 ? first[z]
                                          : first[z] + " and " + std::to_string(counts[z] - 1) +
                                                " more group" + (counts[z] > 2 ? "s" : "");
        diags.note("N301", policy.zones[z].span,
                   "zone '" + policy.zones[z].name + "' is isolated: the analysis assumes that " +
                       held +
                       " and the other hosts of the zone cannot reach each other except "
                       "through a firewall; no emitted rule enforces that, the network "
                       "must (private VLAN, host firewalls)");
    }
}

} // namespace netsep::sema
