#include "lower/ExplicitAddresses.hpp"

#include "model/AddressSet.hpp"

#include <algorithm>

namespace netsep::lower {

std::vector<model::IpPrefix> complementPrefixes(const std::vector<model::IpPrefix>& declared,
                                                model::Family f) {
    return model::AddressSet::of(declared).complement(f).prefixes(f);
}

ExplicitAddresses::ExplicitAddresses(const LoweredFirewall& fw) : fw_(fw) {
    bool any = std::any_of(fw.objects.begin(), fw.objects.end(),
                           [](const AddressObject& o) { return o.negatedV4 || o.negatedV6; });
    if (!any)
        return;
    copy_ = fw;
    std::vector<model::IpPrefix> v4, v6; // computed once: one catch-all per family
    for (AddressObject& o : copy_->objects) {
        if (o.negatedV4) {
            if (v4.empty())
                v4 = complementPrefixes(fw.declaredV4, model::Family::V4);
            o.v4 = v4;
            o.negatedV4 = false;
        }
        if (o.negatedV6) {
            if (v6.empty())
                v6 = complementPrefixes(fw.declaredV6, model::Family::V6);
            o.v6 = v6;
            o.negatedV6 = false;
        }
    }
    copy_->declaredV4.clear();
    copy_->declaredV6.clear();
}

} // namespace netsep::lower
