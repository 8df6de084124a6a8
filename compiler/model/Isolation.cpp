#include "model/Isolation.hpp"

namespace netsep::model {

std::vector<uint32_t> reliedOnIsolatedZones(const Policy& policy) {
    std::vector<bool> held(policy.zones.size(), false);
    for (const Group& g : policy.groups)
        if (g.zone < held.size())
            held[g.zone] = true;
    std::vector<uint32_t> out;
    for (uint32_t z = 0; z < policy.zones.size(); ++z)
        if (policy.zones[z].isolated && held[z])
            out.push_back(z);
    return out;
}

} // namespace netsep::model
