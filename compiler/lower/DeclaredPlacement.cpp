#include "lower/DeclaredPlacement.hpp"

namespace netsep::lower {

using model::AddressSet;
using model::Family;

Placement placeAgainst(const AddressSet& declared, const AddressSet& object) {
    if (object.empty())
        return Placement::Empty;
    if (!declared.intersects(object))
        return Placement::Outside;
    return declared.containsAll(object) ? Placement::Declared : Placement::Both;
}

DeclaredPlacement::DeclaredPlacement(const LoweredFirewall& fw) {
    for (Family f : {Family::V4, Family::V6}) {
        const std::size_t fi = idx(f);
        const bool v4 = f == Family::V4;
        declared_[fi] = AddressSet::of(v4 ? fw.declaredV4 : fw.declaredV6);
        addresses_[fi].reserve(fw.objects.size());
        placement_[fi].reserve(fw.objects.size());
        for (const auto& o : fw.objects) {
            if (o.negated(f)) {
                addresses_[fi].push_back(AddressSet::of({model::IpPrefix{f, 0, 0}}));
                placement_[fi].push_back(Placement::CatchAll);
                continue;
            }
            addresses_[fi].push_back(AddressSet::of(v4 ? o.v4 : o.v6));
            placement_[fi].push_back(placeAgainst(declared_[fi], addresses_[fi].back()));
        }
    }
}

} // namespace netsep::lower
