#include "backends/nftables/NftAddressScope.hpp"

#include "backends/common/ProtoFamily.hpp"

#include <set>
#include <stdexcept>

namespace netsep::backends::nft {

using model::AddressSet;
using model::Family;

namespace {

constexpr std::array<Family, 2> kFamilies{Family::V4, Family::V6};

bool applies(const lower::LoweredRule& r, Family f) {
    return (f == Family::V4 ? r.v4 : r.v6) && protoFitsFamily(r.match.proto, f);
}

} // namespace

AddressScope::AddressScope(const lower::LoweredFirewall& fw) : fw_(fw), placement_(fw) {
    const std::size_t n = fw.objects.size();

    // Per zone and family: every object a rule tests on that side.
    std::map<std::string, std::array<std::set<uint32_t>, 2>> inObjects, outObjects;
    split_.reserve(fw.pairs.size());
    for (const auto& p : fw.pairs) {
        bool negSrc = false, negDst = false;
        for (const auto& r : p.rules) {
            if (r.global)
                continue;
            if (r.src >= n || r.dst >= n)
                throw std::out_of_range("nftables backend: a rule names a missing address object");
            for (Family f : kFamilies) {
                if (!applies(r, f))
                    continue;
                inObjects[p.fromZone][idx(f)].insert(r.src);
                outObjects[p.toZone][idx(f)].insert(r.dst);
                negSrc = negSrc || fw.objects[r.src].negated(f);
                negDst = negDst || fw.objects[r.dst].negated(f);
            }
        }
        // The catch-all on both sides (two interfaces of the catch-all
        // zone): no split, every test stays.
        split_.push_back(negSrc == negDst ? Side::None : negSrc ? Side::Source : Side::Destination);
    }
    // A zone's scope is what it owns (stable: it does not move when a rule
    // is added), widened by any object a rule tests there that it does not
    // cover, so that no packet a rule could match is dropped.
    auto zoneScope = [&](const std::map<std::string, std::array<std::set<uint32_t>, 2>>& used,
                         const std::string& zone, std::size_t fi) {
        std::vector<AddressSet::Range> ranges;
        for (const auto& z : fw.zoneAddresses)
            if (z.zone == zone) {
                const AddressSet owned = AddressSet::of(fi == 0 ? z.v4 : z.v6);
                ranges.insert(ranges.end(), owned.ranges().begin(), owned.ranges().end());
            }
        auto it = used.find(zone);
        if (it != used.end())
            for (uint32_t o : it->second[fi])
                for (const auto& r :
                     placement_.addresses(o, fi == 0 ? Family::V4 : Family::V6).ranges())
                    ranges.push_back(r);
        return AddressSet::ofRanges(std::move(ranges));
    };
    // An interface of several zones takes every one's scope.
    for (const auto& i : fw.interfaces)
        for (std::size_t fi = 0; fi < 2; ++fi) {
            ingress_[i.name][fi].add(zoneScope(inObjects, i.zone, fi));
            egress_[i.name][fi].add(zoneScope(outObjects, i.zone, fi));
        }
    auto sideScope = [&](const std::map<std::string, std::array<AddressSet, 2>>& byInterface,
                         const std::vector<std::string>& interfaces) {
        std::array<AddressSet, 2> s;
        for (const auto& i : interfaces) {
            auto it = byInterface.find(i);
            if (it == byInterface.end())
                continue;
            for (std::size_t fi = 0; fi < 2; ++fi)
                s[fi].add(it->second[fi]);
        }
        return s;
    };
    pairIn_.reserve(fw.pairs.size());
    pairOut_.reserve(fw.pairs.size());
    for (const auto& p : fw.pairs) {
        pairIn_.push_back(sideScope(ingress_, p.inInterfaces));
        pairOut_.push_back(sideScope(egress_, p.outInterfaces));
    }
}

bool AddressScope::inVariant(std::size_t pair, const lower::LoweredRule& r, Variant v,
                             Family f) const {
    if (v == Variant::All || split_.at(pair) == Side::None)
        return true;
    // The catch-all, an object without addresses of the family and any
    // object when nothing is declared lie outside the declared set.
    const uint32_t o = split_[pair] == Side::Source ? r.src : r.dst;
    switch (placement_.of(o, f)) {
    case lower::Placement::Empty:
    case lower::Placement::CatchAll:
    case lower::Placement::Outside:
        return v == Variant::Outside;
    case lower::Placement::Declared:
        return v == Variant::Declared;
    case lower::Placement::Both:
        return true;
    }
    return true;
}

bool AddressScope::matchesIn(std::size_t pair, const lower::LoweredRule& r, Variant v) const {
    for (Family f : kFamilies)
        if (applies(r, f) && inVariant(pair, r, v, f))
            return true;
    return false;
}

bool AddressScope::implied(std::size_t pair, uint32_t object, Side side, Variant v,
                           Family f) const {
    if (fw_.objects.at(object).negated(f))
        return split_.at(pair) == side && v == Variant::Outside;
    const auto& scope = side == Side::Source ? pairIn_.at(pair) : pairOut_.at(pair);
    const AddressSet& o = placement_.addresses(object, f);
    return !o.empty() && o == scope[idx(f)];
}

} // namespace netsep::backends::nft
