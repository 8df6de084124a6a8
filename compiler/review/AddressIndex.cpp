#include "review/AddressIndex.hpp"

#include <algorithm>

namespace netsep::review {

using model::Endpoint;
using model::Family;
using model::u128;

AddressIndex::AddressIndex(const model::Policy& policy)
    : policy_(policy), zoneGroups_(policy.zones.size()) {
    for (uint32_t z = 0; z < policy.zones.size(); ++z)
        for (const auto& r : policy.zones[z].addresses.ranges())
            entries_.push_back({r.family, r.lo, r.hi, {Endpoint::Kind::Zone, z}});
    for (uint32_t s = 0; s < policy.saas.size(); ++s)
        for (const auto& r : policy.saas[s].addresses.ranges())
            entries_.push_back({r.family, r.lo, r.hi, {Endpoint::Kind::Saas, s}});
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
        return a.family != b.family ? a.family < b.family : a.lo < b.lo;
    });
    for (uint32_t g = 0; g < policy.groups.size(); ++g)
        if (policy.groups[g].zone < zoneGroups_.size())
            zoneGroups_[policy.groups[g].zone].push_back(g);
}

namespace {
u128 sizeOf(const model::AddressSet& a) {
    u128 n = 0;
    for (const auto& r : a.ranges())
        n += r.hi - r.lo; // +1 each, which can overflow for ::/0; the order is what matters
    return n;
}
} // namespace

Owner AddressIndex::ownerOf(Family family, u128 address) const {
    Owner o;
    auto it =
        std::upper_bound(entries_.begin(), entries_.end(), std::make_pair(family, address),
                         [](const std::pair<Family, u128>& k, const Entry& e) {
                             return k.first != e.family ? k.first < e.family : k.second < e.lo;
                         });
    if (it == entries_.begin())
        return o;
    --it;
    if (it->family != family || address > it->hi)
        return o;
    if (it->owner.kind == Endpoint::Kind::Saas) {
        o.saas = it->owner.index;
        return o;
    }
    o.zone = it->owner.index;
    model::IpPrefix host{family, address, uint8_t(model::IpPrefix::maxLen(family))};
    for (uint32_t g : zoneGroups_[*o.zone])
        if (policy_.groups[g].addresses.contains(host))
            o.groups.push_back(g);
    std::stable_sort(o.groups.begin(), o.groups.end(), [&](uint32_t a, uint32_t b) {
        return sizeOf(policy_.groups[a].addresses) < sizeOf(policy_.groups[b].addresses);
    });
    return o;
}

std::optional<Endpoint> AddressIndex::mostSpecific(const Owner& o) {
    if (!o.groups.empty())
        return Endpoint{Endpoint::Kind::Group, o.groups.front()};
    if (o.zone)
        return Endpoint{Endpoint::Kind::Zone, *o.zone};
    if (o.saas)
        return Endpoint{Endpoint::Kind::Saas, *o.saas};
    return std::nullopt;
}

std::optional<model::IpPrefix> AddressIndex::representative(const Endpoint& e,
                                                            std::optional<Family> family) const {
    model::AddressSet set = policy_.endpointAddresses(e);
    if (e.kind == Endpoint::Kind::Zone) {
        model::AddressSet rest = set;
        for (uint32_t g : zoneGroups_[e.index])
            for (Family f : {Family::V4, Family::V6})
                for (const auto& p : policy_.groups[g].addresses.prefixes(f))
                    rest.subtract(p);
        if (!rest.empty())
            set = rest;
    }
    for (Family f : {Family::V4, Family::V6}) {
        if (family && *family != f)
            continue;
        for (const auto& r : set.ranges())
            if (r.family == f) {
                u128 a = r.hi > r.lo ? r.lo + 1 : r.lo;
                return model::IpPrefix{f, a, uint8_t(model::IpPrefix::maxLen(f))};
            }
    }
    return std::nullopt;
}

std::string AddressIndex::describe(const Owner& o) const {
    if (o.saas) {
        const model::Saas& s = policy_.saas[*o.saas];
        return "saas endpoint " + s.name + (s.provider.empty() ? "" : " (" + s.provider + ")");
    }
    if (!o.zone)
        return "no zone (no zone or saas endpoint of the policy holds it)";
    const model::Zone& z = policy_.zones[*o.zone];
    std::string out = "zone " + z.name;
    std::vector<std::string> attrs;
    if (z.kind)
        attrs.push_back(std::string("kind ") + model::zoneKindName(*z.kind));
    if (z.level)
        attrs.push_back(std::string("level ") + model::levelName(*z.level));
    if (z.crownJewel)
        attrs.push_back("crown-jewel");
    if (z.isolated)
        attrs.push_back("isolated");
    if (!attrs.empty()) {
        out += " (";
        for (size_t i = 0; i < attrs.size(); ++i)
            out += (i ? ", " : "") + attrs[i];
        out += ")";
    }
    for (uint32_t g : o.groups)
        out += ", group " + policy_.groups[g].name;
    return out;
}

std::optional<model::IpPrefix> parseHost(const std::string& text) {
    if (text.find('/') != std::string::npos)
        return std::nullopt;
    std::string error;
    auto p = model::parsePrefix(text, error);
    if (!p || p->len != model::IpPrefix::maxLen(p->family))
        return std::nullopt;
    return p;
}

} // namespace netsep::review
